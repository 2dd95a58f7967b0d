import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    /// One person moved to another employer or region by a bulk action (one entry per person).
    static let personBulkTransfer: AuditAction = "person.bulk_transfer"
    /// One person recorded as having left their post on a date by a bulk action.
    static let personBulkLeftPost: AuditAction = "person.bulk_left_post"
}

/// A change applied to several people at once from the people list (issue #18 §1).
public enum BulkChange: Sendable, Equatable {
    /// To another employer and/or another region (nil: unchanged).
    case transfer(organizationID: String?, regionCode: String?)
    /// Left their post (their employer) on a date.
    case leftPost(on: CivilDate)
}

/// One line of a bulk action's preview: a person, the field, and its value before and after.
public struct BulkChangeLine: Codable, Sendable, Equatable {
    public var personID: String
    public var name: String
    /// `organization`, `region` or `employment`.
    public var field: String
    public var before: String
    public var after: String

    public init(personID: String, name: String, field: String, before: String, after: String) {
        self.personID = personID
        self.name = name
        self.field = field
        self.before = before
        self.after = after
    }
}

extension PersonService {
    /// At most this many people per bulk action (one form, one transaction).
    public static let bulkLimit = 200

    /// What `change` would do to each of `ids`, without writing: every person must be inside the
    /// caller's scope (the audited 404 otherwise), the target employer and region too.
    public func bulkPreview(_ ids: [String], _ change: BulkChange) async throws -> [BulkChangeLine] {
        try await bulkPlan(ids, change).lines
    }

    /// Applies `change` to every one of `ids` in one transaction — all or none — through the same
    /// writer as an edit (field history, census counts, employment), with one audit entry per
    /// person in that transaction. Returns the number of people changed.
    @discardableResult
    public func bulkApply(_ ids: [String], _ change: BulkChange) async throws -> Int {
        let plan = try await bulkPlan(ids, change)
        let (scope, cipher, actor, at, today) = (caller.scope, context.cipher, caller.username, context.now(), context.today)
        let (log, caller) = (context.auditLog, self.caller)
        let action: AuditAction
        if case .leftPost = change { action = .personBulkLeftPost } else { action = .personBulkTransfer }
        let lines = plan.lines
        return try await context.writes.transaction(on: context.db) { tx in
            let store = PersonStore(db: tx, cipher: cipher)
            for (id, record) in plan.records {
                _ = try await store.save(record, target: id, actor: actor, source: "web:bulk", scope: scope, now: at)
                if case .leftPost(let date) = change, let organization = plan.formerEmployers[id] {
                    try await store.backdateLeaving(personID: id, organizationID: organization, recordedOn: today, on: date)
                }
                let details = lines.filter { $0.personID == id }.map { "\($0.field): \($0.before) → \($0.after)" }.joined(separator: "; ")
                try await log.append(on: tx.sql, AuditEntry(at: at, actor: caller.username, ip: caller.address, action: action,
                                                            objectType: "person", objectID: id, details: details))
            }
            return plan.records.count
        }
    }

    struct BulkPlan {
        var lines: [BulkChangeLine] = []
        var records: [(String, CensusRecord)] = []
        var formerEmployers: [String: String] = [:]
    }

    func bulkPlan(_ ids: [String], _ change: BulkChange) async throws -> BulkPlan {
        try await context.require(caller, Self.writers, "person")
        let ids = ids.reduce(into: [String]()) { list, id in if !list.contains(id) { list.append(id) } }
        guard !ids.isEmpty else { throw StoreError(.invalid, code: "lists.bulk.none", details: [.init(field: "person", code: "lists.bulk.none")]) }
        guard ids.count <= Self.bulkLimit else {
            throw StoreError(.invalid, code: "lists.bulk.too_many", String(Self.bulkLimit),
                             details: [.init(field: "person", code: "lists.bulk.too_many", String(Self.bulkLimit))])
        }
        var targetOrganization: OrganizationInfo?
        var targetRegion: Region?
        switch change {
        case .transfer(let organizationID, let regionCode):
            if organizationID == nil && regionCode == nil {
                throw StoreError(.invalid, code: "lists.bulk.no_target", details: [.init(field: "organization", code: "lists.bulk.no_target")])
            }
            if let organizationID { targetOrganization = try await OrganizationService(context: context, caller: caller).organization(organizationID) }
            if let regionCode { targetRegion = try await context.region(caller, code: regionCode, field: "region") }
        case .leftPost(let date):
            if date > context.today {
                throw StoreError(.invalid, code: "lists.bulk.date_future", details: [.init(field: "date", code: "lists.bulk.date_future")])
            }
        }
        for id in ids { try await requireVisible(id) }
        var plan = BulkPlan()
        var regionCodes = Set<String>()
        var people: [(String, CensusRecord, PersonSummary)] = []
        for id in ids {
            guard let summary = try await context.people.summary(id: id),
                  let record = try await context.people.censusRecord(id: id) else { throw StoreError.notFound(.person) }
            people.append((id, record, summary))
            regionCodes.insert(summary.regionCode)
        }
        if let targetRegion { regionCodes.insert(targetRegion.code) }
        let regionNames = try await context.regions.regions(codes: Array(regionCodes)).mapValues(\.name)
        for (id, record, summary) in people {
            var record = record
            let before = plan.lines.count
            switch change {
            case .transfer:
                if let organization = targetOrganization, organization.id != summary.organizationID {
                    record.employerName = organization.name
                    record.employerCode = organization.creditCode.flatMap { try? SocialCreditCode.parse($0).get() }
                    plan.lines.append(.init(personID: id, name: summary.name, field: "organization",
                                            before: summary.organizationName ?? "", after: organization.name))
                }
                if let region = targetRegion, region.code != summary.regionCode {
                    record.regionCode = region.code
                    plan.lines.append(.init(personID: id, name: summary.name, field: "region",
                                            before: regionNames[summary.regionCode] ?? summary.regionCode, after: region.name))
                }
            case .leftPost(let date):
                guard let organization = summary.organizationID else {
                    throw StoreError(.invalid, code: "lists.bulk.no_post", summary.name,
                                     details: [.init(field: "person", code: "lists.bulk.no_post", summary.name)])
                }
                record.employerName = nil
                record.employerCode = nil
                plan.formerEmployers[id] = organization
                plan.lines.append(.init(personID: id, name: summary.name, field: "employment",
                                        before: summary.organizationName ?? "", after: date.description))
            }
            // A person the change leaves as they are is shown nowhere and written not at all.
            if plan.lines.count > before { plan.records.append((id, record)) }
        }
        return plan
    }
}
