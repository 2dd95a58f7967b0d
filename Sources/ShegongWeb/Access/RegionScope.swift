import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Region scope for the aggregate API and the pages (issue #3 §2): every region a request names is
/// checked here, once, against the principal's scope. A region outside it answers exactly like a
/// region that does not exist (404), and the attempt is audited, so scope cannot be probed.
///
/// Only scopes drawn over a region subtree (officials, department operators) are narrowed here;
/// organisation managers and social workers reach region filters only on registry lists, which
/// their own scope condition already narrows.
extension Request {
    /// Where `?region=` and the pages start when no region is named: the principal's own region
    /// (the nation for principals whose scope is not drawn over regions).
    var homeRegionCode: String { principal?.scope.regionSubtree?.code ?? RegionPath.nationCode }

    /// A region by code, inside the principal's scope; `field` names the parameter in the error.
    func scopedRegion(code: String, field: String) async throws -> Region {
        let region = try await regions.region(code: code)
        if let region, mayRead(region) { return region }
        if region != nil { try await audit(.accessDenied, "region", code, details: "\(method.rawValue) \(url.path)", result: .denied) }
        let text = CatalogueMessage("region.unknown", code)
        throw APIError(status: .notFound, code: "region.unknown", message: text.chinese, details: [.init(field: field, code: "region.unknown", text: text)],
                       text: text)
    }

    /// The region a change names, when `may` allows the principal to change it. Nil when the code
    /// names no region (the store then reports the field as invalid); out of read scope is the
    /// audited 404 of `scopedRegion`; readable but not changeable is an audited 403.
    func regionForChange(code: String, field: String,
                         may: (Scope, RegionPath) -> Bool = { $0.mayWrite(region: $1) }) async throws -> Region? {
        let code = code.trimmingCharacters(in: .whitespaces)   // as the stores read it
        guard try await regions.region(code: code) != nil else { return nil }
        let region = try await scopedRegion(code: code, field: field)
        try await requireChange(may(try requirePrincipal().scope, region.path), "region", code)
        return region
    }

    /// An audited 403 unless `allowed`: the record is in sight but this account may not change it.
    func requireChange(_ allowed: Bool, _ objectType: String, _ objectID: String) async throws {
        guard !allowed else { return }
        try await audit(.accessDenied, objectType, objectID, details: "\(method.rawValue) \(url.path)", result: .denied)
        throw APIError(status: .forbidden, code: "auth.forbidden", message: "当前账号无权修改\(objectID)的数据")
    }

    func mayRead(_ region: Region) -> Bool {
        guard let scope = principal?.scope, scope.regionSubtree != nil else { return true }
        return scope.mayRead(region: region.path)
    }

    /// A plan is in sight when its jurisdiction lies in the principal's region, or contains it: a
    /// county official follows the city's plan too.
    func mayRead(plan: Plan) -> Bool { mayRead(jurisdiction: plan.jurisdiction) }

    /// Whether a plan of `jurisdiction` (and so its evidence files) is in sight.
    func mayRead(jurisdiction: RegionCode) -> Bool {
        guard let subtree = principal?.scope.regionSubtree else { return false }
        guard case .success(let own) = RegionCode.parse(subtree.code) else { return false }
        return own.contains(jurisdiction) || jurisdiction.contains(own)
    }

    /// The department a department operator reports for; nil for other principals.
    var reportingDepartment: String? {
        if case .department(let name, _) = principal?.scope { return name }
        return nil
    }
}
