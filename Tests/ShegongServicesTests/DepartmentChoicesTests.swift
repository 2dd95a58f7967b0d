import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The departments a form offers come from `DepartmentService` with the caller (not from the store
/// read by the page): an official is offered their own subtree's active departments, a plan's
/// measures the departments of the plan's region and those above it — only for a region in the
/// caller's sight — each with its region's name; the system administrator every region's.
@Suite struct DepartmentChoicesTests {
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }

    @Test func anOfficialIsOfferedTheirOwnDepartmentsAndAPlansChainOnlyInTheirSight() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: departments of the nation, 酒泉市, 肃州区 (one of them closed) and 金塔县
            let store = DepartmentStore(sql: context.sql)
            let nation = try await store.add(name: "民政部", region: .nation)
            let city = try await store.add(name: "民政局", region: Self.code("620900"))
            let county = try await store.add(name: "民政局", region: Self.code("620902"))
            let closed = try await store.add(name: "信访局", region: Self.code("620902"))
            _ = try await store.setActive(id: closed.id, false)
            let sibling = try await store.add(name: "教育局", region: Self.code("620921"))
            let official = DepartmentService(context: context, caller: try await context.caller(.official("620902", .readWrite), username: "suzhou"))

            // act
            let own = try await official.activeChoices()
            let forPlan = try await official.choices(availableTo: "620902")

            // check: their subtree's active departments; for a plan there, nearest region first; names, not codes
            #expect(own.map(\.id) == [county.id])
            #expect(own.map(\.regionName) == ["肃州区"])
            #expect(forPlan.map(\.id) == [county.id, city.id, nation.id])
            #expect(forPlan.map(\.regionName) == ["肃州区", "酒泉市", nil])

            // act: a plan region outside the official's sight
            await #expect(throws: StoreError.self) { _ = try await official.choices(availableTo: "620921") }
            // check: refused like a missing region, and audited
            let denied = try await context.sql.select().column(SQLRaw("COUNT(*)"), as: "n").from("audit_log")
                .where("actor", .equal, "suzhou").where("result", .equal, "denied").first()?.decode(column: "n", as: Int.self)
            #expect(denied == 1)

            // act / check: the system administrator, who gives operators of any region their department
            let admin = DepartmentService(context: context, caller: try await context.caller(.systemAdministrator, username: "sys"))
            let all = try await admin.activeChoices()
            #expect(Set(all.map(\.id)) == [nation.id, city.id, county.id, sibling.id])
            #expect(all.first { $0.id == sibling.id }?.regionName == "金塔县")
        }
    }
}
