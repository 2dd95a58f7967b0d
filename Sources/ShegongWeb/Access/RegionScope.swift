import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region decoding for the aggregate API and the pages (issue #3 §2): every region a request names
/// is read from the query or path here and checked by the services (`ServiceContext.region`,
/// `regionForChange`) against the signed-in account's scope. A region outside it answers exactly
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

    /// The region a change names, when `may` allows the principal to change it
    /// (`ServiceContext.regionForChange`): nil when the code names no region; out of read scope
    /// the audited 404; readable but not changeable an audited 403.
    func regionForChange(code: String, field: String,
                         may: (Scope, RegionPath) -> Bool = { $0.mayWrite(region: $1) }) async throws -> Region? {
        try await services.regionForChange(try caller, code: code, field: field, may: may)
    }

    /// An audited 403 unless `allowed`: the record is in sight but this account may not change it.
    func requireChange(_ allowed: Bool, _ objectType: String, _ objectID: String) async throws {
        try await services.requireChange(try caller, allowed, objectType, objectID)
    }

    /// The department a department operator reports for; nil for other principals.
    var reportingDepartment: String? {
        if case .department(let name, _) = principal?.scope { return name }
        return nil
    }
}
