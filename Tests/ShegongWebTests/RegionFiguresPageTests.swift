import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The base-figures page (issue #5 §1): departments type in the denominators of their field
/// (issue #3 §2), through the same scoped, audited path as the API, with the history below.
final class RegionFiguresPageTests: XCTestCase {
    static let jiuquan = "620900", suzhou = "620902"

    /// Rows of 2023 (the demo data set enters 2024's figures).
    func figures(_ app: Application, _ table: String) async throws -> Int {
        try await app.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE year = 2023").first()!.decode(column: "n", as: Int.self)
    }

    func inputs(_ html: String) -> [String] {
        RegionStatistic.allCases.map(\.rawValue).filter { html.contains(#"name="\#($0)""#) }
    }

    func testAnEducationOperatorTypesTheSchoolFiguresAndNothingElse() async throws {
        try await withApp { app in
            // setup: 酒泉市教育局's operator over the city; 2023 has no figures yet
            try await app.loadDemoGeography()
            let session = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "酒泉市教育局", region: try RegionCode.parse(Self.jiuquan).get()), username: "jq-edu")
            // act: the nav entry opens their own region; a county's page offers the two school figures only
            let home = try await session.get("/figures")
            XCTAssertEqual(home.headers.first(name: .location), "/figures/\(Self.jiuquan)")
            let page = try await session.get("/figures/\(Self.suzhou)?year=2023")
            // check
            XCTAssertEqual(page.status, .ok)
            XCTAssertEqual(inputs(page.body.string), ["schools", "schools_with_social_work"])
            XCTAssertTrue(page.body.string.contains("60岁及以上老年人口"), "the other figures are shown, read only")
            // act: a value that is not a whole number comes back beside its box, nothing saved
            let bad = try await session.post("/figures/\(Self.suzhou)?year=2023",
                                             form: ["schools": "118", "schools_with_social_work": "三十", "_csrf": session.csrf])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains(#"id="f-schools_with_social_work-error""#), bad.body.string)
            XCTAssertTrue(bad.body.string.contains(#"value="三十""#), "what was typed stays in the box")
            let nothing = try await figures(app, "region_statistics")
            XCTAssertEqual(nothing, 0)
            // act: the corrected form
            let saved = try await session.post("/figures/\(Self.suzhou)?year=2023",
                                               form: ["schools": "1,118", "schools_with_social_work": "30", "_csrf": session.csrf])
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            let after = try await session.get(saved.headers.first(name: .location) ?? "/")
            // check: saved, in the history under the department, through the web; the API answers the same figures
            XCTAssertTrue(after.body.string.contains(#"class="alert ok""#), after.body.string)
            XCTAssertTrue(after.body.string.contains(#"value="1118""#))
            let rows = try await app.sql.raw("SELECT statistic, after_value, actor, source FROM region_statistic_changes WHERE year = 2023 ORDER BY statistic").all()
            XCTAssertEqual(try rows.map { try $0.decode(column: "statistic", as: String.self) }, ["schools", "schools_with_social_work"])
            XCTAssertEqual(try rows.map { try $0.decode(column: "after_value", as: Int.self) }, [1118, 30])
            XCTAssertEqual(try Set(rows.map { try $0.decode(column: "actor", as: String.self) }), ["酒泉市教育局"])
            XCTAssertEqual(try Set(rows.map { try $0.decode(column: "source", as: String.self) }), ["web"])
            let audited = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'statistics.update' AND object_id = \(bind: Self.suzhou)")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(audited, 1)
            // act: the same figures again change nothing; a forged box for older people is refused and audited
            let again = try await session.post("/figures/\(Self.suzhou)?year=2023", form: ["schools": "1118", "schools_with_social_work": "30", "_csrf": session.csrf])
            XCTAssertEqual(again.status, .seeOther)
            XCTAssertTrue(again.headers.first(name: .location)?.hasSuffix("saved=0,0,0,2") ?? false, again.headers.first(name: .location) ?? "")
            let forged = try await session.post("/figures/\(Self.suzhou)?year=2023", form: ["population_60_plus": "90000", "_csrf": session.csrf])
            XCTAssertEqual(forged.status, .forbidden)
            let changes = try await figures(app, "region_statistic_changes")
            XCTAssertEqual(changes, 2)
            let denied = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access.denied' AND object_id = \(bind: Self.suzhou)")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(denied, 1)
            // act: emptying a box removes the figure, kept in the history
            let removed = try await session.post("/figures/\(Self.suzhou)?year=2023", form: ["schools": "1118", "schools_with_social_work": "", "_csrf": session.csrf])
            XCTAssertTrue(removed.headers.first(name: .location)?.hasSuffix("saved=0,0,1,1") ?? false, removed.headers.first(name: .location) ?? "")
            let left = try await figures(app, "region_statistics")
            XCTAssertEqual(left, 1)
            // in English, the statistics' names are English
            let english = try await session.get("/figures/\(Self.suzhou)?year=2023&lang=en")
            XCTAssertTrue(english.body.string.contains("Primary and secondary schools"))
            XCTAssertTrue(english.body.string.contains("Base figures of"))
        }
    }

    func testWhoMayTypeWhichFigures() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let city = try RegionCode.parse(Self.jiuquan).get()
            // act + check: a read-write official types every figure; a read-only one types none
            let writer = try await BrowserSession.signIn(app, grant: .official(region: city, access: .readWrite), username: "jq-rw")
            let all = try await writer.get("/figures/\(Self.suzhou)")
            XCTAssertEqual(inputs(all.body.string), RegionStatistic.allCases.map(\.rawValue))
            let reader = try await BrowserSession.signIn(app, grant: .official(region: city, access: .read), username: "jq-ro")
            let readOnly = try await reader.get("/figures/\(Self.suzhou)")
            XCTAssertEqual(inputs(readOnly.body.string), [])
            XCTAssertFalse(readOnly.body.string.contains(#"id="figures-form""#))
            let refused = try await reader.post("/figures/\(Self.suzhou)", form: ["schools": "1", "_csrf": reader.csrf])
            XCTAssertEqual(refused.status, .forbidden)
            // a department whose name matches no rule types none, and is told so
            let organisation = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "市委组织部", region: city), username: "jq-org")
            let none = try await organisation.get("/figures/\(Self.suzhou)")
            XCTAssertEqual(inputs(none.body.string), [])
            XCTAssertTrue(none.body.string.contains(Catalogue.text("figures.none_yours", .zhHans)))
            // a region outside the scope is the audited 404
            let elsewhere = try await writer.get("/figures/341800")
            XCTAssertEqual(elsewhere.status, .notFound)
        }
    }
}
