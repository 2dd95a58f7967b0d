import Fluent
import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The registry's record-level scope, shared by the JSON API and the pages (issue #3 §2): lists
/// are cut by the store with the principal's `Scope`; one record outside it answers 404 and is
/// audited as denied; writes go through the store with the scope, in one transaction with their
/// audit entry.
extension Request {
    /// The scope of the signed-in principal (401 without one).
    var scope: Scope {
        get throws { try requirePrincipal().scope }
    }

    /// `?region=` when given, which must lie inside an official's subtree (else 404, audited).
    func scopedRegionFilter(_ name: String = "region") async throws -> Region? {
        try await scopedRegion(code: queryString(name))
    }

    /// The region of `code` (nil when blank), which must lie inside an official's subtree.
    func scopedRegion(code: String?) async throws -> Region? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        return try await scopedRegion(code: code, field: "region")
    }

    /// Person `id` exists and is inside the scope; otherwise 404 (audited when out of scope).
    func requireVisiblePerson(_ id: String) async throws {
        switch try await people.visibility(id: id, scope: try scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.person)
        case .outOfScope: throw try await outOfScope("person", id, what: .person)
        }
    }

    /// Organisation `id` exists and is inside the scope; otherwise 404 (audited when out of scope).
    func requireVisibleOrganization(_ id: String) async throws {
        switch try await OrganizationStore(db: db).visibility(id: id, scope: try scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.organization)
        case .outOfScope: throw try await outOfScope("organization", id, what: .organization)
        }
    }

    /// Creates (`target` nil) or updates a person inside the scope, audited in the same transaction.
    /// The caller has checked that `target` is visible; the store refuses a record that would leave
    /// or enter the scope (a field error).
    func savePerson(_ record: CensusRecord, target: String?, source: String) async throws -> (personID: String, created: Bool) {
        let scope = try self.scope, cipher = cipher, actor = actorName
        return try await audited(target == nil ? .personCreate : .personUpdate, "person", object: { $0.personID }) { tx in
            try await PersonStore(db: tx, cipher: cipher).save(record, target: target, actor: actor, source: source, scope: scope)
        }
    }

    /// The detail with full ID and mobile numbers, for a scope that may see personal data;
    /// audited as `person.reveal` (DESIGN §6). The caller has checked that the person is visible.
    func revealed(_ detail: PersonDetail) async throws -> PersonDetail {
        guard try scope.allowsPersonalData else {
            throw APIError(status: .forbidden, code: "reveal.forbidden", message: "当前账号无权查看完整身份证号和手机号")
        }
        let id = detail.person.id
        guard let identifiers = try await people.revealIdentifiers(id: id) else { throw StoreError.notFound(.person) }
        try await audit(.personReveal, "person", id)
        var full = detail
        full.person.idNumber = identifiers.idNumber
        full.person.mobile = identifiers.mobile
        return full
    }

    /// The people filter from the query string (the API's and the search page's parameters).
    func personFilter() async throws -> PersonFilter {
        var filter = PersonFilter()
        filter.scope = try scope
        filter.region = try await scopedRegionFilter()
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
        filter.page = try queryInt("page", default: 1)
        filter.perPage = try queryInt("perPage", default: 50)
        return filter
    }

    /// The census use cases as the signed-in account may take them.
    var census: CensusService {
        get throws { CensusService(context: services, caller: try caller) }
    }

    /// A census import by the signed-in principal (`CensusService.importer`).
    func censusImporter(on database: (any Database)? = nil) throws -> CensusImporter {
        try census.importer(on: database)
    }

    /// An earlier import's issues, for the account that ran it (others: 404, audited).
    func importIssues(_ id: String) async throws -> [CensusIssue] {
        try await census.importIssues(id)
    }
}
