import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The demo's practice bases and posts (issue #14 §1–§2, docs/bases.md "Demo data"):
///
/// - Jiuquan's bases as its plan names them: the city base at 肃州区金泉路社区 (`loadJiuquanSeeds`)
///   gets its host, capacity and interns; the college training base at 酒泉职业技术学院; the base
///   敦煌市 builds at 敦煌国际会展中心 serving the four western counties (敦煌市, 瓜州县, 肃北县,
///   阿克塞县 — the seed says 西四县 without naming them); and a county base in each other county;
/// - posts for 宣城市's organisations, set in different years, some filled by the demo people
///   employed there, some left vacant.
///
/// Only with demo people (the interns and holders are theirs); deterministic, and loading twice
/// adds nothing.
extension DemoDataSet {
    static let dunhuangServes = ["620982", "620922", "620923", "620924"]

    func loadBasesAndPosts(db: any Database, cipher: PersonalDataCipher, now: Date) async throws -> Int {
        guard people > 0 else { return 0 }
        return try await Self.loadJiuquanBases(db: db, cipher: cipher, now: now) + Self.loadXuanchengPosts(db: db, now: now)
    }

    static func organization(_ db: any Database, named name: String) async throws -> String? {
        try await db.sql.select().column("id").from("organizations").where("name", .equal, name).first()?.decode(column: "id", as: String.self)
    }

    /// People working in `county`, in a fixed order (by masked ID and name: the seed decides both).
    static func peopleIn(_ db: any Database, county: String, limit: Int) async throws -> [String] {
        try await db.sql.select().column("id").from("people").where("county_code", .equal, county)
            .orderBy("id_masked").orderBy("name").limit(limit).all().map { try $0.decode(column: "id", as: String.self) }
    }

    static func loadJiuquanBases(db: any Database, cipher: PersonalDataCipher, now: Date) async throws -> Int {
        let store = PracticeBaseStore(db: db, cipher: cipher)
        guard let jiuquan = try await RegionStore(db).region(code: "620900") else { return 0 }
        var existing = try await store.list(region: jiuquan, scope: .region(RegionSubtree(code: "620900", level: .city), access: .read),
                                            today: CivilDate.today(now: now))
        var added = 0
        // The city base of the seed: its details, once.
        if let city = existing.first(where: { $0.regionCode == "620902003001" && $0.level == PracticeBaseLevel.city.rawValue }),
           try await db.sql.select().column("updated_at").from("practice_bases").where("id", .equal, city.id).first()?
            .decode(column: "updated_at", as: String?.self) == nil {
            let host = try await organization(db, named: "酒泉市肃州区金泉路社区居民委员会")
            _ = try await store.update(id: city.id, PracticeBaseInput(
                regionCode: city.regionCode, name: city.name, level: "city", host: city.host, hostOrganizationID: host, capacity: 30,
                facilities: "社会工作室、督导室、活动室各一间", contactName: "金泉路社区社工站", contactPhone: "0937-2612345",
                periodFrom: "2025-03-01", servedRegions: ["620902"]), now: now)
            added += 1
        }
        let bases: [PracticeBaseInput] = [
            PracticeBaseInput(regionCode: "620902", name: "酒泉职业技术学院社会工作专业人员培训基地", level: "college", host: "酒泉职业技术学院",
                              capacity: 60, facilities: "实训教室两间、个案工作室", contactName: "培训基地办公室", contactPhone: "0937-2690001",
                              periodFrom: "2025-05-01", established: "2025-05-01", servedRegions: ["620900"]),
            PracticeBaseInput(regionCode: "620982", name: "敦煌市社会工作专业人员实践基地（敦煌国际会展中心）", level: "county", host: "敦煌国际会展中心",
                              capacity: 50, facilities: "培训厅、小组活动室", contactName: "敦煌市委社会工作部", contactPhone: "0937-8821234",
                              periodFrom: "2025-06-01", established: "2025-06-01", servedRegions: dunhuangServes),
            PracticeBaseInput(regionCode: "620921", name: "金塔县社会工作专业人员实践基地", level: "county", host: "金塔县社会工作服务中心", capacity: 20,
                              periodFrom: "2025-07-01", established: "2025-07-01", servedRegions: ["620921"]),
            PracticeBaseInput(regionCode: "620902", name: "肃州区社会工作专业人员实践基地", level: "county", host: "酒泉市肃州区阳光社会工作服务中心",
                              capacity: 20, periodFrom: "2025-07-01", established: "2025-07-01", servedRegions: ["620902"]),
            PracticeBaseInput(regionCode: "620981", name: "玉门市社会工作专业人员实践基地", level: "county", capacity: 15, periodFrom: "2025-08-01", established: "2025-08-01",
                              servedRegions: ["620981"]),
            PracticeBaseInput(regionCode: "620922", name: "瓜州县社会工作专业人员实践基地", level: "county", host: "瓜州县民政局", capacity: 15,
                              periodFrom: "2025-08-01", established: "2025-08-01", servedRegions: ["620922"]),
            PracticeBaseInput(regionCode: "620923", name: "肃北县社会工作专业人员实践基地", level: "county", capacity: 10, periodFrom: "2025-09-01", established: "2025-09-01",
                              servedRegions: ["620923"]),
            PracticeBaseInput(regionCode: "620924", name: "阿克塞县社会工作专业人员实践基地", level: "county", capacity: 10, periodFrom: "2025-09-01", established: "2025-09-01",
                              servedRegions: ["620924"]),
        ]
        for var input in bases where !existing.contains(where: { $0.name == input.name }) {
            if let host = input.host { input.hostOrganizationID = try await organization(db, named: host) }
            _ = try await store.create(input, now: now)
            added += 1
        }
        existing = try await store.list(region: jiuquan, scope: .region(RegionSubtree(code: "620900", level: .city), access: .read),
                                        today: CivilDate.today(now: now))
        // Interns at the city base and trainees at the college base, from 肃州区's demo people.
        let hosts = try await peopleIn(db, county: "620902", limit: 5)
        let placements: [(base: String, people: ArraySlice<String>, kind: PlacementKind, from: String, to: String)] = [
            ("620902003001", hosts.prefix(3), .internship, "2025-07-01", "2025-08-31"),
            ("620902", hosts.dropFirst(3), .training, "2025-10-13", "2025-10-17"),
        ]
        for placement in placements {
            guard let base = existing.first(where: { $0.regionCode == placement.base && ($0.level == "city" || $0.level == "college") }),
                  try await db.sql.select().column("id").from("practice_base_placements").where("base_id", .equal, base.id).first() == nil else { continue }
            for person in placement.people {
                _ = try await store.addPlacement(baseID: base.id, PlacementInput(personID: person, kind: placement.kind.rawValue,
                                                                                 from: placement.from, to: placement.to),
                                                 scope: .region(RegionSubtree(code: "620900", level: .city), access: .readWrite), actor: "demo", now: now)
                added += 1
            }
        }
        return added
    }

    /// Posts by kind of organisation: category, places, funding.
    static func posts(for kind: String?) -> [(category: PostCategory, name: String, places: Int, funding: PostFunding)] {
        switch kind {
        case "社工机构": return [(.socialWorkOrganization, "专职社会工作岗", 4, .purchasedService), (.socialWorkOrganization, "项目督导岗", 1, .selfFunded)]
        case "行政机关": return [(.publicInstitution, "社会工作专业岗", 2, .fiscal)]
        case "医院": return [(.publicInstitution, "医务社会工作岗", 2, .fiscal)]
        case "学校": return [(.publicInstitution, "学校社会工作岗", 1, .fiscal)]
        case "养老机构": return [(.other, "养老社会工作岗", 2, .selfFunded)]
        case "群团组织": return [(.massOrganization, "群团社会工作岗", 1, .fiscal)]
        case "社区": return [(.communityWorker, "社区社会工作岗", 3, .fiscal)]
        default: return [(.other, "社会工作岗", 1, .other)]
        }
    }

    static func loadXuanchengPosts(db: any Database, now: Date) async throws -> Int {
        let today = CivilDate.today(now: now)
        let store = PostStore(db: db)
        let organizations = try await db.sql.select().columns("id", "kind").from("organizations")
            .where(SQLColumn("region_code"), .in, SQLGroupExpression(SQLQueryString("SELECT code FROM regions WHERE city_code = \(bind: "341800")")))
            .orderBy("credit_code").all()
        var added = 0
        for (i, row) in organizations.enumerated() {
            let id: String = try row.decode(column: "id")
            guard try await db.sql.select().column("id").from("org_posts").where("organization_id", .equal, id).first() == nil else { continue }
            let staff = try await db.sql.select().column(SQLColumn("person_id", table: "e")).column(SQLColumn("start_date", table: "e"))
                .from(SQLAlias(SQLIdentifier("employments"), as: SQLIdentifier("e")))
                .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("person_id", table: "e"))
                .where(SQLColumn("organization_id", table: "e"), .equal, SQLBind(id)).where(SQLColumn("end_date", table: "e"), .is, SQLLiteral.null)
                .orderBy(SQLColumn("id_masked", table: "p")).orderBy(SQLColumn("name", table: "p")).all()
                .map { (person: try $0.decode(column: "person_id", as: String.self), start: try $0.decode(column: "start_date", as: String.self)) }
            var next = staff.makeIterator()
            for (j, post) in posts(for: try row.decode(column: "kind", as: String?.self)).enumerated() {
                guard let setOn = CivilDate(year: min(2021 + (i + j) % 5, today.year), month: 6, day: 30), setOn <= today else { continue }
                let created = try await store.create(organizationID: id, PostInput(category: post.category.rawValue, name: post.name,
                                                                                   numberSet: post.places, funding: post.funding.rawValue,
                                                                                   setOn: setOn.description), today: today, now: now)
                added += 1
                // Every post but one place of the larger ones filled, while staff last.
                for _ in 0..<(post.places > 1 ? post.places - 1 : post.places) {
                    guard let holder = next.next() else { break }
                    let from = max(holder.start, setOn.description)
                    _ = try await store.fill(postID: created.id, PostFillInput(personID: holder.person, from: from), today: today, now: now)
                }
            }
        }
        return added
    }
}
