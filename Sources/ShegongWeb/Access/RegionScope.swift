import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region decoding for the aggregate API and the pages (issue #3 §2): every region a request names
/// is read from the query or path here and checked by the services (`ServiceContext.region`,
/// `regionFilter`) against the signed-in account's scope. A region outside it answers exactly
/// like a region that does not exist (404), and the attempt is audited, so scope cannot be probed.
///
/// Only scopes drawn over a region subtree (officials, department operators) are narrowed;
/// organisation managers and social workers reach region filters only on registry lists, which
/// their own scope condition already narrows.
extension Request {
    /// Where `?region=` and the pages start when no region is named: the principal's own region
    /// (the nation for principals whose scope is not drawn over regions).
    var homeRegionCode: String { principal?.scope.regionSubtree?.code ?? RegionPath.nationCode }

    /// `?region=CODE` resolved to a region inside the principal's scope (their own region when
    /// absent); an unknown code, or one outside the scope (audited), is the same 404.
    func regionParameter(_ name: String = "region") async throws -> Region {
        try await scopedRegion(code: queryString(name) ?? homeRegionCode, field: name)
    }

    /// `?region=` when given, which must lie inside the scope (else 404, audited).
    func scopedRegionFilter(_ name: String = "region") async throws -> Region? {
        try await services.regionFilter(try caller, code: queryString(name), field: name)
    }

    /// The region of `code` (nil when blank), which must lie inside the scope.
    func scopedRegion(code: String?) async throws -> Region? {
        try await services.regionFilter(try caller, code: code)
    }

    /// A region by code, inside the principal's scope; `field` names the parameter in the error.
    func scopedRegion(code: String, field: String) async throws -> Region {
        try await services.region(try caller, code: code, field: field)
    }

    /// The department a department operator reports for; nil for other principals.
    var reportingDepartment: String? {
        if case .department(let name, _) = principal?.scope { return name }
        return nil
    }
}
