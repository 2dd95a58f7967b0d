import FluentKit
import Foundation
import SQLKit
import ShegongDomain

extension OrganizationKind {
    /// The legal form behind an organisation kind the registry records.
    var employerKind: EmployerKind {
        switch self {
        case .governmentAgency: return .governmentOrgan
        case .publicInstitution, .school, .hospital: return .publicInstitution
        case .socialWorkOrganization, .elderlyCareInstitution: return .socialOrganization
        case .massOrganization: return .massOrganization
        case .community: return .villageOrResidentCommittee
        case .enterprise: return .enterprise
        case .other: return .other
        }
    }
}

extension EmployerKind {
    /// The legal form behind an organisation's kind as the registry records it.
    init?(organizationKind kind: String?) {
        guard let known = kind.flatMap(OrganizationKind.init(rawValue:)) else { return nil }
        self = known.employerKind
    }
}

/// Builds the engine's `PersonSnapshot`s from the registry: region path, posts (employment with
/// the employer's kind), certificates, and one-time awards already approved or paid.
struct SnapshotBuilder: Sendable {
    let sql: any SQLDatabase

    func snapshots(personIDs: [String]) async throws -> [String: PersonSnapshot] {
        var result: [String: PersonSnapshot] = [:]
        var start = 0
        while start < personIDs.count {
            let ids = Array(personIDs[start..<min(personIDs.count, start + 2_000)])
            start += ids.count
            for row in try await sql.select()
                .columns("id", "region_code", "province_code", "city_code", "county_code", "township_code")
                .from("people").where("id", .in, ids).all() {
                let id: String = try row.decode(column: "id")
                var codes: [String] = []
                for column in ["province_code", "city_code", "county_code", "township_code", "region_code"] {
                    if let code = try row.decode(column: column, as: String?.self), !codes.contains(code) { codes.append(code) }
                }
                // The nation heads the path so that a national policy (jurisdiction 000000) applies too.
                result[id] = PersonSnapshot(id: id, regionPath: [RegionCode.nation] + codes.compactMap { try? RegionCode.parse($0).get() })
            }
            for row in try await sql.select().column(SQLRaw("e.person_id, e.post_category, e.start_date, e.end_date, o.kind"))
                .from(SQLAlias(SQLIdentifier("employments"), as: SQLIdentifier("e")))
                .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                      on: SQLColumn("organization_id", table: "e"), .equal, SQLColumn("id", table: "o"))
                .where(SQLColumn("person_id", table: "e"), .in, SQLBind.group(ids)).all() {
                let id: String = try row.decode(column: "person_id")
                guard let category = PostCategory(rawValue: try row.decode(column: "post_category", as: String?.self) ?? ""),
                      let start = CivilDate(iso: try row.decode(column: "start_date")) else { continue }
                let end = try row.decode(column: "end_date", as: String?.self).flatMap(CivilDate.init(iso:))
                result[id]?.posts.append(PostTenure(category: category, employerKind: EmployerKind(organizationKind: try row.decode(column: "kind")),
                                                    start: start, end: end))
            }
            for row in try await sql.select().columns("person_id", "level", "number", "issue_date", "low_score_area")
                .from("certificates").where("person_id", .in, ids).all() {
                let id: String = try row.decode(column: "person_id")
                guard let level = CertificateLevel(rawValue: try row.decode(column: "level")),
                      let issued = CivilDate(iso: try row.decode(column: "issue_date")) else { continue }
                result[id]?.certificates.append(HeldCertificate(level: level, number: try row.decode(column: "number"), issueDate: issued,
                                                                lowScoreArea: try row.decode(column: "low_score_area")))
            }
            for row in try await sql.select().columns("person_id", "policy_id", "level", "amount_fen", "created_at")
                .from("payment_lines").where("person_id", .in, ids).where("kind", .equal, "award")
                .where("state", .in, PaymentLineState.committed.map(\.rawValue)).all() {
                let id: String = try row.decode(column: "person_id")
                guard let level = CertificateLevel(rawValue: try row.decode(column: "level", as: String?.self) ?? "") else { continue }
                result[id]?.awards.append(GrantedAward(policyID: try row.decode(column: "policy_id"), level: level,
                                                       amountFen: try row.decode(column: "amount_fen", as: Int.self),
                                                       grantedOn: CivilDate(iso: String((try row.decode(column: "created_at", as: String.self)).prefix(10)))))
            }
        }
        return result
    }

    func snapshot(personID: String) async throws -> PersonSnapshot? {
        try await snapshots(personIDs: [personID])[personID]
    }
}
