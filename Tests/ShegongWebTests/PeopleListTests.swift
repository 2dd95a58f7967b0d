import SQLKit
import ShegongDomain
import ShegongStore
import Vapor
import XCTVapor
import XCTest
@testable import ShegongWeb

/// The people list at national scale (issues #15 §1 and #18 §1): pages are cut by a keyset on
/// (sort key, id) from an index, totals come from the maintained aggregates or stop at 1,000, a
/// name is searched by its first characters, and the export holds exactly the filtered people.
final class PeopleListTests: XCTestCase {
    static let surnames = ["张", "王", "李", "赵", "章", "弓"]

    /// `count` people in 肃州区 (620902) numbered from `first`, no certificate, named by surname and number.
    static func csv(_ first: Int, count: Int, category: String = "社区工作者", region: String = CensusRow.county,
                    name: ((Int) -> String)? = nil) -> String {
        CensusRow.csv((first..<(first + count)).map { n in
            var row = CensusRow()
            row.name = name?(n) ?? surnames[n % surnames.count] + String(n)
            row.id = Self.makeID(n)
            row.mobile = "1381234" + String(format: "%04d", n)
            row.region = region
            row.category = category
            row.level = ""
            row.number = ""
            row.issued = ""
            return row
        })
    }

    /// A valid ID for any `n` below 9,000 (the sequence has three digits: the birth year moves on).
    static func makeID(_ n: Int) -> String {
        CensusRow.makeID(n % 900 + 1, birth: CivilDate(year: 1960 + n / 900, month: 5, day: 20)!)
    }

    func load(_ app: Application, _ text: String) async throws {
        let report = try await importFile(app, try writeTemp(text))
        XCTAssertEqual(report.rejectedRows, 0, "\(report.issues.prefix(3))")
    }

    func store(_ app: Application) -> PersonStore { PersonStore(db: app.db, cipher: app.shegong.cipher) }

    func testPagingReturnsEveryPersonExactlyOnceWhileRowsAreInserted() async throws {
        try await withApp { app in
            // setup: 40 people in 肃州区
            try await self.load(app, Self.csv(1, count: 40))
            let before = Set(try await self.store(app).all(PersonFilter()).map(\.id))
            XCTAssertEqual(before.count, 40)
            for (sort, descending) in [(PersonSort.name, false), (.name, true), (.level, true)] {
                // act: page through 7 at a time, importing 3 new people (names all over the alphabet) after each page
                var seen: [String] = [], filter = PersonFilter(), next = 1_000 + (sort == .name ? 0 : 100) + (descending ? 50 : 0)
                filter.perPage = 7
                filter.sort = sort
                filter.descending = descending
                filter.region = try await RegionStore(app.db).region(code: "620900")
                var pages = 0
                while true {
                    let page = try await self.store(app).list(filter)
                    seen += page.items.map(\.id)
                    pages += 1
                    try await self.load(app, Self.csv(next, count: 3))
                    next += 3
                    guard let cursor = page.nextCursor else { break }
                    filter.after = PersonCursor(token: cursor)
                    XCTAssertNotNil(filter.after)
                }
                // check: nobody twice, and everyone who was there from the start was on a page
                XCTAssertEqual(seen.count, Set(seen).count, "\(sort) \(descending): a person on two pages")
                XCTAssertTrue(before.isSubset(of: Set(seen)), "\(sort) \(descending): \(before.subtracting(seen).count) people never shown")
                XCTAssertGreaterThanOrEqual(pages, 6)
            }
        }
    }

    /// A page jump (page N without a cursor) shows exactly the people that paging by cursor shows
    /// on page N, for each sort and order, the last page short and a page past the end empty.
    func testAPageJumpShowsWhatPagingToItShows() async throws {
        try await withApp { app in
            // setup: 23 people, five of them with a certificate level (so the level sort has ties and blanks)
            try await self.load(app, Self.csv(1, count: 23))
            try await app.sql.raw("UPDATE people SET certificate_level = '社会工作师' WHERE name LIKE '张%'").run()
            for (sort, descending) in [(PersonSort.name, false), (.name, true), (.level, false), (.level, true), (.updated, true)] {
                var filter = PersonFilter()
                filter.perPage = 5
                filter.sort = sort
                filter.descending = descending
                // act: pages by cursor, then each page by number
                var byCursor: [[String]] = [], cursorFilter = filter
                while true {
                    let page = try await self.store(app).list(cursorFilter)
                    byCursor.append(page.items.map(\.id))
                    guard let next = page.nextCursor else { break }
                    cursorFilter.after = PersonCursor(token: next)
                }
                var byNumber: [[String]] = []
                for number in 1...(byCursor.count + 1) {
                    filter.page = number
                    byNumber.append(try await self.store(app).list(filter).items.map(\.id))
                }
                // check
                XCTAssertEqual(byCursor.map(\.count), [5, 5, 5, 5, 3], "\(sort) \(descending)")
                XCTAssertEqual(Array(byNumber.prefix(byCursor.count)), byCursor, "\(sort) \(descending)")
                XCTAssertEqual(byNumber.last, [], "\(sort) \(descending): past the end")
            }
        }
    }

    func testTheTotalEqualsAFullCount() async throws {
        try await withApp { app in
            // setup: 30 community workers and 12 village cadres in 肃州区, 5 in 金塔县
            try await self.load(app, Self.csv(1, count: 30))
            try await self.load(app, Self.csv(101, count: 12, category: "村干部"))
            try await self.load(app, Self.csv(201, count: 5, region: "620921"))
            let regions = RegionStore(app.db)
            func fullCount(_ condition: String) async throws -> Int {
                try await app.sql.raw("SELECT COUNT(*) AS n FROM people WHERE \(unsafeRaw: condition)").first()!.decode(column: "n", as: Int.self)
            }
            // act and check: a region alone (the maintained aggregate), at county, city and nation
            for (code, condition) in [("620902", "county_code = '620902'"), ("620900", "city_code = '620900'"), ("000000", "1 = 1")] {
                var filter = PersonFilter()
                filter.region = try await regions.region(code: code)
                let total = try await self.store(app).total(filter)
                let expected = try await fullCount(condition)
                XCTAssertEqual(total.count, expected, code)
                XCTAssertTrue(total.exact)
            }
            // a region and a category: counted (below the cap, exactly)
            var filter = PersonFilter()
            filter.region = try await regions.region(code: "620902")
            filter.postCategory = .villageCadre
            let categoryTotal = try await self.store(app).total(filter)
            let categoryCount = try await fullCount("county_code = '620902' AND post_category = '村干部'")
            XCTAssertEqual(categoryTotal.count, categoryCount)
            XCTAssertEqual(categoryTotal.count, 12)
            XCTAssertTrue(categoryTotal.exact)
            // an official's scope without a region filter: the aggregate of the scope's region
            var scoped = PersonFilter()
            scoped.scope = .region(RegionSubtree(code: "620921", level: .county), access: .read)
            let scopedTotal = try await self.store(app).total(scoped)
            XCTAssertEqual(scopedTotal.count, 5)
            // a scoped category: counted, with the scope
            var scopedCategory = scoped
            scopedCategory.postCategory = .communityWorker
            // a page carries the same total with its rows, on every page however reached, and a
            // page past the end reads it alone
            for (pageFilter, expected) in [(filter, 12), (scoped, 5), (scopedCategory, 5)] {
                var first = pageFilter
                first.perPage = 2
                var second = first
                second.page = 2
                var pastTheEnd = first
                pastTheEnd.page = 50
                let page = try await self.store(app).list(first)
                var afterCursor = first
                afterCursor.after = page.nextCursor.flatMap(PersonCursor.init(token:))
                let pages = [page, try await self.store(app).list(second), try await self.store(app).list(afterCursor)]
                let empty = try await self.store(app).list(pastTheEnd)
                XCTAssertEqual(pages.map(\.items.count), [2, 2, 2])
                XCTAssertEqual(pages.map(\.total) + [empty.total], [expected, expected, expected, expected])
                XCTAssertEqual(empty.items, [])
                XCTAssertTrue((pages + [empty]).allSatisfy(\.totalIsExact))
            }
        }
    }

    /// A scope not drawn over regions (an organisation's staff, a worker's own record) may filter by
    /// any region, but the total counts only what the scope sees: never the region's whole count.
    func testATotalNeverCountsPastAScopeThatIsNotARegion() async throws {
        try await withApp { app in
            // setup: 30 people in 肃州区, 5 in 金塔县; a worker's own record
            try await self.load(app, Self.csv(1, count: 30))
            try await self.load(app, Self.csv(201, count: 5, region: "620921"))
            let own = try await app.sql.raw("SELECT id FROM people WHERE county_code = '620902' LIMIT 1").first()!.decode(column: "id", as: String.self)
            for code in ["000000", "620902"] {
                var filter = PersonFilter()
                filter.scope = .person(id: own)
                filter.region = try await RegionStore(app.db).region(code: code)
                // act
                let page = try await self.store(app).list(filter)
                let total = try await self.store(app).total(filter)
                // check: one person seen, one counted
                XCTAssertEqual(page.items.map(\.id), [own], code)
                XCTAssertEqual(page.total, 1, code)
                XCTAssertEqual(total.count, 1, code)
            }
        }
    }

    func testAFilteredCountStopsAtOneThousand() async throws {
        try await withApp { app in
            // setup: 1,005 community workers
            try await self.load(app, Self.csv(1, count: 1_005))
            var filter = PersonFilter()
            filter.postCategory = .communityWorker
            filter.perPage = 20
            // act
            let page = try await self.store(app).list(filter)
            var regionOnly = PersonFilter()
            regionOnly.perPage = 20
            let everyone = try await self.store(app).list(regionOnly)
            // check: "more than 1,000" for a filter, the exact aggregate for the nation
            XCTAssertEqual(page.total, 1_000)
            XCTAssertFalse(page.totalIsExact)
            XCTAssertEqual(page.items.count, 20)
            XCTAssertEqual(everyone.total, 1_005)
            XCTAssertTrue(everyone.totalIsExact)
        }
    }

    func testANamePrefixFindsOnlyNamesThatStartWithIt() async throws {
        try await withApp { app in
            // setup: 张 at the start, elsewhere, and look-alike surnames
            let names = ["张三", "张伟", "章子", "弓张", "李张", "张", "弡一"]
            try await self.load(app, Self.csv(1, count: names.count) { names[$0 - 1] })
            // act
            var filter = PersonFilter()
            filter.name = "张"
            let found = try await self.store(app).list(filter)
            // check
            XCTAssertEqual(found.items.map(\.name), ["张", "张三", "张伟"])
            XCTAssertEqual(found.total, 3)
            filter.name = "张三"
            let one = try await self.store(app).list(filter).items
            XCTAssertEqual(one.map(\.name), ["张三"])
        }
    }

    /// Both engines read a county's page by name from its list index, with no sort of the county.
    func testACountyPageIsReadFromItsIndex() async throws {
        try await withApp { app in
            try await self.load(app, Self.csv(1, count: 30))
            var filter = PersonFilter()
            filter.region = try await RegionStore(app.db).region(code: "620902")
            filter.name = "张"
            filter.perPage = 20
            let postgres = app.sql.dialect.name == "postgresql"
            let county = filter
            // A tiny table would be scanned: on PostgreSQL the plan is asked with scans discouraged,
            // which shows whether the index can answer at all.
            let plan = try await app.db.transaction { tx in
                if postgres { try await tx.sql.raw("SET LOCAL enable_seqscan = off").run() }
                return try await PersonStore(db: tx, cipher: app.shegong.cipher).listPlan(county)
            }
            XCTAssertTrue(plan.contains("people_list_county_name"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "no sort: \(plan)")
            XCTAssertFalse(plan.contains("Sort"), "no sort: \(plan)")
            var nation = PersonFilter()
            nation.sort = .updated
            nation.descending = true
            let byUpdate = nation
            let nationPlan = try await app.db.transaction { tx in
                if postgres { try await tx.sql.raw("SET LOCAL enable_seqscan = off").run() }
                return try await PersonStore(db: tx, cipher: app.shegong.cipher).listPlan(byUpdate)
            }
            XCTAssertTrue(nationPlan.contains("people_list_updated"), nationPlan)
            XCTAssertFalse(nationPlan.contains("TEMP B-TREE"), nationPlan)
        }
    }

    func testTheAPIPagesByCursorAndExportsExactlyTheFilteredPeople() async throws {
        try await withApp { app in
            // setup: 12 community workers and 4 village cadres
            try await self.load(app, Self.csv(1, count: 12))
            try await self.load(app, Self.csv(101, count: 4, category: "村干部"))
            // act: the first page, then the page after its cursor
            var cursor = ""
            var firstPage: [String] = []
            try await app.api(.GET, "/api/v1/people?perPage=10&sort=name") { res in
                XCTAssertEqual(res.status, .ok)
                let page = try res.content.decode(PersonPage.self)
                XCTAssertEqual(page.total, 16)
                XCTAssertTrue(page.totalIsExact)
                firstPage = page.items.map(\.id)
                cursor = try XCTUnwrap(page.nextCursor)
            }
            try await app.api(.GET, "/api/v1/people?perPage=10&sort=name&after=\(cursor)") { res in
                let page = try res.content.decode(PersonPage.self)
                XCTAssertEqual(page.items.count, 6)
                XCTAssertNil(page.nextCursor)
                XCTAssertTrue(Set(page.items.map(\.id)).isDisjoint(with: firstPage))
            }
            // a cursor of another sort is the client's error
            try await app.api(.GET, "/api/v1/people?perPage=10&sort=updated&after=\(cursor)") { res in
                XCTAssertEqual(res.status, .badRequest)
            }
            // the export of the village cadres only, masked
            try await app.api(.GET, "/api/v1/people/export?postCategory=%E6%9D%91%E5%B9%B2%E9%83%A8&format=csv") { res in
                XCTAssertEqual(res.status, .ok)
                let text = String(buffer: res.body)
                let lines = text.split(whereSeparator: \.isNewline).filter { $0.contains("138****") }
                XCTAssertEqual(lines.count, 4, text)
                XCTAssertTrue(lines.allSatisfy { $0.contains("***") && $0.contains("****") }, "ID and mobile masked")
                XCTAssertFalse(text.contains(Self.makeID(101)), "no full ID number")
                XCTAssertFalse(text.contains("张1,") || text.contains("王2,"), "no community worker")
            }
            // check: the export audited with its filter and row count
            let entries = try await app.shegong.accounts().audit.search(sql: app.sql, AuditQuery(action: "person.export"))
            XCTAssertEqual(entries.count, 1)
            let details = try XCTUnwrap(entries.first?.entry.details)
            XCTAssertTrue(details.contains("postCategory=村干部"), details)
            XCTAssertTrue(details.contains("people=4"), details)
        }
    }
}
