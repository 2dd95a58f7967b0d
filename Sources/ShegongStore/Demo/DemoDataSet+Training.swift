import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The demo's training (issue #13 §8, docs/training.md): Jiuquan's three tiers — a 市级示范 course
/// organised by 620900, a 县级骨干 course in three counties, a 乡镇全员 course in 肃州区 — with
/// sessions (some at the Jiuquan practice bases), trainers, enrolments of the demo's Jiuquan people
/// of those counties and attendance; every session but the last is completed through the training
/// store's completion path, so the continuing-education ledger holds the credited minutes.
/// Deterministic (people in id order, dates from the demo's clock); loading twice adds nothing.
extension DemoDataSet {
    static func loadTraining(db: any Database, now: Date) async throws -> Int {
        let sql = db.sql
        if try await sql.select().column("id").from("training_courses").where("created_by", .equal, "demo").first() != nil { return 0 }
        let regions = RegionStore(db)
        guard let jiuquan = try await regions.region(code: "620900") else { return 0 }
        let store = TrainingStore(db: db)
        let today = CivilDate.today(now: now)
        let yearStart = CivilDate(year: today.year, month: 1, day: 1)!
        // The demo's Jiuquan people by county, in id order.
        var people: [String: [String]] = [:]
        for row in try await sql.select().columns("id", "county_code").from("people").where("city_code", .equal, "620900")
            .orderBy("id").all() {
            guard let county = try row.decode(column: "county_code", as: String?.self) else { continue }
            people[county, default: []].append(try row.decode(column: "id"))
        }
        let bases = try await sql.select().columns("id", "county_code").from("practice_bases").where("city_code", .equal, "620900")
            .orderBy("id").all().map { (id: try $0.decode(column: "id", as: String.self), county: try $0.decode(column: "county_code", as: String?.self)) }
        var trainers: [String] = []
        for (name, level) in [("张明华", "city"), ("李秀兰", "province"), ("王建国", "county")] {
            trainers.append(try await store.createTrainer(TrainerInput(name: name, fields: ["practice", "ethics"], level: level, regionCode: "620900"),
                                                          region: jiuquan, now: now).id)
        }
        var sessions = 0
        /// One session of `course` on `day` (one day, 3 hours), its attendees from `attendees`;
        /// completed unless `open`.
        func session(_ course: String, on day: CivilDate, at base: String?, trainer: String, attendees: [String], open: Bool = false) async throws {
            let created = try await store.createSession(course: course, SessionInput(startsOn: day.description, endsOn: day.description, hoursPerDay: "3",
                                                        practiceBaseID: base, address: base == nil ? "酒泉市民政局培训室" : nil,
                                                        capacity: max(attendees.count, 1) + 5, trainerIDs: [trainer]),
                                                        trainerCondition: SQLRaw("1 = 1"), now: now)
            for person in attendees { _ = try await store.enrol(session: created.id, person: person, waitingList: false, actor: "demo", now: now) }
            // most attend the whole day, every fourth half of it, every fifth not at all
            let entries = attendees.enumerated().compactMap { i, person in
                i % 5 == 4 ? nil : AttendanceEntry(personID: person, day: day.description, minutes: i % 4 == 3 ? 90 : 180)
            }
            if !open && !entries.isEmpty {
                _ = try await store.recordAttendance(session: created.id, entries, fields: entries.indices.map { "entries[\($0)]" }, actor: "demo", now: now)
                _ = try await store.complete(session: created.id, actor: "demo", now: now)
            }
            sessions += 1
        }
        func day(_ daysAgo: Int) -> CivilDate { max(yearStart, today.adding(days: -daysAgo)) }
        // The audiences vary so that the coverage page's audience table has more than one row with figures.
        func course(_ title: String, tier: String, region: String, audiences: [String] = ["community_worker"]) async throws -> String? {
            guard let organiser = try await regions.region(code: region) else { return nil }
            return try await store.createCourse(CourseInput(title: title, tier: tier, audiences: audiences, topics: ["practice", "ethics"],
                                                            creditHours: "3", organizerRegionCode: region),
                                                organizer: .init(region: organiser, organizationID: nil), actor: "demo", now: now).id
        }
        // 市级示范: people of every Jiuquan county, at the first Jiuquan base
        if let city = try await course("酒泉市社区工作者示范培训班", tier: "city", region: "620900",
                                     audiences: ["community_worker", "new_entrant"]) {
            let everyone = people.keys.sorted().flatMap { (people[$0] ?? []).prefix(4) }
            try await session(city, on: day(40), at: bases.first?.id, trainer: trainers[0], attendees: Array(everyone.prefix(24)))
        }
        // 县级骨干: 肃州区, 玉门市, 敦煌市 (at a base of the county when there is one)
        for (i, county) in ["620902", "620981", "620982"].enumerated() {
            guard let id = try await course("县级社会工作骨干培训班", tier: "county", region: county,
                                          audiences: ["community_worker", "transfer"]) else { continue }
            let local = people[county] ?? []
            let base = bases.first { $0.county == county }?.id ?? bases.dropFirst(i).first?.id
            try await session(id, on: day(20 + i), at: base, trainer: trainers[1 + i % 2], attendees: Array(local.dropFirst(4).prefix(12)))
        }
        // 乡镇全员: 肃州区, one completed session and one still open (no attendance yet)
        if let township = try await course("乡镇社区工作者全员轮训", tier: "township", region: "620902") {
            let local = people["620902"] ?? []
            try await session(township, on: day(10), at: nil, trainer: trainers[2], attendees: Array(local.dropFirst(16).prefix(20)))
            try await session(township, on: today.adding(days: 14), at: nil, trainer: trainers[2], attendees: Array(local.dropFirst(36).prefix(10)), open: true)
        }
        return sessions
    }
}
