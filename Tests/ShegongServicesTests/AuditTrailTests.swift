import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The services' kernel on a real database, without a web server: a change and its audit entry
/// commit together or not at all; a denial is audited and answered like a missing record; a role
/// without the permission is refused and audited.
@Suite struct AuditTrailTests {
    @Test func aChangeAndItsEntryCommitTogether() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let writer = try await context.caller(.official("620900", .readWrite), username: "zhang")
            // act
            let id = try await context.audited(writer, .regionCreate, "region", object: { $0 }) { tx in
                try await tx.sql.insert(into: "region_names").columns("code", "name", "valid_from", "valid_to")
                    .values("620999", "测试", 2026, nil as Int?).run()
                return "620999"
            }
            // check
            let entries = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "region.create"))
            #expect(id == "620999")
            #expect(entries.map(\.entry.actor) == ["zhang"])
            #expect(entries.first?.entry.objectID == "620999")
        }
    }

    @Test func aChangeThatFailsLeavesNoEntryAndNoRow() async throws {
        try await ServiceTestDatabase.with { context in
            struct Refused: Error {}
            let writer = try await context.caller(.official("620900", .readWrite), username: "zhang")
            // act
            await #expect(throws: Refused.self) {
                _ = try await context.audited(writer, .regionCreate, "region", object: { (_: Int) in nil }) { tx in
                    try await tx.sql.insert(into: "region_names").columns("code", "name", "valid_from", "valid_to")
                        .values("620998", "测试", 2026, nil as Int?).run()
                    throw Refused()
                }
            }
            // check
            let rows = try await context.sql.select().column("code").from("region_names").where("code", .equal, "620998").all()
            #expect(rows.isEmpty)
            #expect(try await context.auditLog.search(sql: context.sql, AuditQuery(action: "region.create")).isEmpty)
        }
    }

    @Test func aRoleWithoutThePermissionIsRefusedAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let reader = try await context.caller(.official("620900", .read), username: "lisi")
            // act
            await #expect(throws: AccessDenied.self) { try await context.require(reader, .write(.official), "census_import") }
            // check
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.result) == [.denied])
            #expect(denied.first?.entry.details?.contains("cli test") == true)
        }
    }

    @Test func aRegionOutsideTheScopeIsAnsweredLikeAnUnknownOneAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let reader = try await context.caller(.official("620900", .read), username: "lisi")
            // act: Xuancheng (341800) asked by a Jiuquan official; then a code that does not exist
            let outside = await #expect(throws: StoreError.self) { try await context.region(reader, code: "341800", field: "region") }
            let unknown = await #expect(throws: StoreError.self) { try await context.region(reader, code: "629999", field: "region") }
            // check: the same answer, one denial audited
            #expect(outside?.code == "region.unknown" && unknown?.code == "region.unknown")
            #expect(outside?.kind == .notFound && unknown?.kind == .notFound)
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.count == 1)
        }
    }
}
