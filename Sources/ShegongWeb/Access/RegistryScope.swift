import Fluent
import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The registry's use cases as the signed-in account may take them (ShegongServices/Registry):
/// the API and the pages decode, call the same service method and encode, so scope and audit are
/// the same whichever way a user comes. What stays here is decoding: the people filter from the
/// query string.
extension Request {
    var personService: PersonService {
        get throws { PersonService(context: services, caller: try caller) }
    }

    var organizationService: OrganizationService {
        get throws { OrganizationService(context: services, caller: try caller) }
    }

    var certificateService: CertificateService {
        get throws { CertificateService(context: services, caller: try caller) }
    }

    var regionService: RegionService {
        get throws { RegionService(context: services, caller: try caller) }
    }

    /// Person `id` exists and is inside the scope; otherwise 404 (audited when out of scope).
    func requireVisiblePerson(_ id: String) async throws {
        try await personService.requireVisible(id)
    }

    /// The people filter from the query string (the API's and the search page's parameters);
    /// `?region=` is returned as a code for the service to check against the scope.
    func personFilter() throws -> (filter: PersonFilter, regionCode: String?) {
        var filter = PersonFilter()
        filter.name = queryString("name")
        filter.idNumber = queryString("idNumber")
        filter.certificateNumber = queryString("certificateNumber")
        filter.organizationID = queryString("organization")
        if let raw = queryString("postCategory") {
            guard let category = PostCategory(rawValue: raw) else {
                throw APIError.badRequest("request.query", "postCategory 须为：" + PostCategory.allCases.map(\.rawValue).joined(separator: "、"), field: "postCategory")
            }
            filter.postCategory = category
        }
        if let raw = queryString("level") {
            guard raw == CensusFacts.none || CertificateLevel(rawValue: raw) != nil else {
                throw APIError.badRequest("request.query", "level 须为：" + (CertificateLevel.allCases.map(\.rawValue) + [CensusFacts.none]).joined(separator: "、"), field: "level")
            }
            filter.level = raw
        }
        filter.organizationName = queryString("organizationName")
        if let raw = queryString("serviceField") {
            guard let field = ServiceField(rawValue: raw) else {
                throw APIError.badRequest("request.query", "serviceField 须为：" + ServiceField.allCases.map(\.rawValue).joined(separator: "、"), field: "serviceField")
            }
            filter.serviceField = field
        }
        if let raw = queryString("sort") {
            guard let sort = PersonSort(rawValue: raw) else {
                throw APIError.badRequest("request.query", "sort 须为：" + PersonSort.allCases.map(\.rawValue).joined(separator: "、"), field: "sort")
            }
            filter.sort = sort
        }
        filter.descending = queryString("order") == "desc"
        if let token = queryString("after") {
            // A cursor of another sort or order, or text no list wrote, is the client's error.
            guard let cursor = PersonCursor(token: token), cursor.sort == filter.sort, cursor.descending == filter.descending else {
                throw APIError.badRequest("request.query", "after 须为上一页答复中的 nextCursor（排序与顺序不变）", field: "after")
            }
            filter.after = cursor
        }
        filter.page = try queryInt("page", default: 1)
        filter.perPage = try queryInt("perPage", default: 50)
        return (filter, queryString("region"))
    }

    /// The census use cases as the signed-in account may take them.
    var census: CensusService {
        get throws { CensusService(context: services, caller: try caller) }
    }

    /// An earlier import's issues, for the account that ran it (others: 404, audited).
    func importIssues(_ id: String) async throws -> [CensusIssue] {
        try await census.importIssues(id)
    }
}
