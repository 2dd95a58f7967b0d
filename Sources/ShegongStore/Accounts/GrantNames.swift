import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The names behind the codes and ids of account grants — a region's name, an organisation's,
/// a person's — so the account pages show "酒泉市", an employer and a person by name, not a code
/// or a UUID. Names only: nothing else of the organisation or person is read.
public struct GrantNames: Sendable {
    public var regions: [String: String] = [:]
    public var organizations: [String: String] = [:]
    public var people: [String: String] = [:]

    public init() {}

    /// The names for `grants`, in at most three reads.
    public static func load(_ grants: [Grant], db: any Database) async throws -> GrantNames {
        var regionCodes: [String] = [], organizationIDs: [String] = [], personIDs: [String] = []
        for grant in grants {
            switch grant {
            case .official(let region, _), .departmentOperator(_, let region): regionCodes.append(region.value)
            case .organizationManager(let id): organizationIDs.append(id)
            case .socialWorker(let id): personIDs.append(id)
            case .systemAdministrator, .securityAdministrator, .auditAdministrator: continue
            }
        }
        return try await load(regions: regionCodes, organizations: organizationIDs, people: personIDs, db: db)
    }

    /// The names of these regions, organisations and people (what is not found is left out).
    public static func load(regions regionCodes: [String], organizations organizationIDs: [String], people personIDs: [String],
                            db: any Database) async throws -> GrantNames {
        var names = GrantNames()
        let regions = try await RegionStore(db).regions(codes: regionCodes)
        names.regions = regions.mapValues(\.name)
        let sql = db.sql
        for (table, ids) in [("organizations", organizationIDs), ("people", personIDs)] where !ids.isEmpty {
            let unique = Array(Set(ids)).sorted()
            for start in stride(from: 0, to: unique.count, by: 1_000) {
                let chunk = Array(unique[start..<min(start + 1_000, unique.count)])
                for row in try await sql.select().columns("id", "name").from(table).where("id", .in, chunk).all() {
                    let (id, name) = (try row.decode(column: "id", as: String.self), try row.decode(column: "name", as: String.self))
                    if table == "people" { names.people[id] = name } else { names.organizations[id] = name }
                }
            }
        }
        return names
    }
}
