import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The work of Jiuquan's two seeded fusion pilots (南苑社区, 梨园社区; docs/pilots.md): a period, a
/// lead organisation of the county, two social workers of the county leading a team of volunteers,
/// a few activities with hours, and practice cases in every workflow state — 南苑: draft,
/// submitted, recommended, selected; 梨园: returned, rejected, selected. Marked 演示 in their texts.
/// Deterministic, and loaded only into a pilot that has no volunteers yet (so loading twice adds
/// nothing and a pilot's real work is left alone).
extension DemoDataSet {
    struct DemoCase {
        var title: String
        /// The steps after creation, each with its reason.
        var steps: [(PracticeCaseAction, String?)]
    }

    static let pilotVolunteers: [(name: String, skills: String)] = [
        ("张晓燕", "陪伴老人、读报"), ("李建国", "家电维修"), ("王丽娟", "儿童课业辅导"), ("赵文斌", "急救培训"),
    ]

    static let pilotCases: [String: [DemoCase]] = [
        "南苑社区": [
            DemoCase(title: "“时间银行”积分激励志愿服务（演示数据）", steps: []),
            DemoCase(title: "独居老人“每日一问”探访（演示数据）", steps: [(.submit, nil)]),
            DemoCase(title: "社区儿童“四点半课堂”（演示数据）", steps: [(.submit, nil), (.recommend, "服务对象覆盖面广")]),
            DemoCase(title: "社工带志愿者结对帮扶困难家庭（演示数据）",
                     steps: [(.submit, nil), (.recommend, nil), (.select, "成效显著，评为优秀实践案例")]),
        ],
        "梨园社区": [
            DemoCase(title: "文旅志愿讲解队（演示数据）", steps: [(.submit, nil), (.return, "请补充服务人次和成效数据")]),
            DemoCase(title: "节日慰问活动汇编（演示数据）", steps: [(.submit, nil), (.reject, "属常规活动，未体现专业社工方法")]),
            DemoCase(title: "残疾人居家康复陪伴（演示数据）", steps: [(.submit, nil), (.recommend, nil), (.select, nil)]),
        ],
    ]

    /// Returns how many pilots got their demo work.
    static func loadPilots(db: any Database, cipher: PersonalDataCipher, now: Date) async throws -> Int {
        var loaded = 0
        let today = CivilDate.today(now: now)
        for (index, seed) in AddPracticeBaseLevelAndPilotTier.provincialDemoPilots.enumerated() {
            guard let row = try await db.sql.select().columns("id", "county_code").from("pilot_communities")
                .where("region_code", .equal, seed.region).where("name", .equal, seed.name).first() else { continue }
            let pilotID: String = try row.decode(column: "id")
            let county: String = try row.decode(column: "county_code")
            guard try await db.sql.select().column("id").from("pilot_volunteers").where("pilot_id", .equal, pilotID).first() == nil else { continue }
            try await db.transaction { tx in
                let store = PilotStore(db: tx, cipher: cipher)
                let lead: String? = try await tx.sql.select().column("id").from("organizations").where("region_code", .equal, county)
                    .where("kind", .equal, "社工机构").orderBy("credit_code").first()?.decode(column: "id")
                try await store.updateDetails(pilotID: pilotID, .init(periodStart: "2025-03-01", periodEnd: "2026-12-31", leadOrganizationID: lead))
                let people: [String] = try await tx.sql.select().column("id").from("people").where("county_code", .equal, county)
                    .orderBy("id").limit(2).all().map { try $0.decode(column: "id") }
                for person in people {
                    try await store.addMember(pilotID: pilotID, personID: person, people: SQLRaw("1 = 1"), now: now)
                }
                var volunteers: [String] = []
                for (i, v) in pilotVolunteers.enumerated() {
                    let mobile = "139\(String(format: "%02d", index))09\(String(format: "%04d", 1000 + i * 37))"
                    let id = i == 0 ? ResidentID.make(addressCode: county, birthDate: CivilDate(year: 1985 + i, month: 4, day: 12)!, sequence: 300 + index)?.value : nil
                    volunteers.append(try await store.addVolunteer(pilotID: pilotID, .init(name: v.name, mobile: mobile, skills: v.skills, idNumber: id),
                                                                   today: today, now: now).id)
                }
                var teamID: String?
                if let leader = people.first {
                    teamID = try await store.addTeam(pilotID: pilotID, .init(name: "\(seed.name)志愿服务队", leaderPersonID: leader, volunteerIDs: volunteers), now: now)
                }
                let activities: [(String, PilotActivityKind, String, String, String, Int, [Double])] = [
                    ("重阳节敬老助老活动（演示数据）", .elderly, "2025-10-29", "09:00", "11:30", 46, [2.5, 2, 2.5, 1.5]),
                    ("暑期儿童安全教育课堂（演示数据）", .children, "2025-07-15", "14:30", "16:30", 32, [2, 0, 1.5, 2]),
                    ("应急救护知识进社区（演示数据）", .emergency, "2025-05-20", "09:30", "11:00", 58, [0, 1.5, 0, 1.5]),
                ]
                for (title, kind, date, start, end, served, hours) in activities {
                    let participants = zip(volunteers, hours).filter { $0.1 > 0 }.map { PilotInput.Activity.Participant(volunteerID: $0.0, hours: $0.1) }
                    _ = try await store.recordActivity(pilotID: pilotID,
                                                       .init(title: title, kind: kind.rawValue, date: date, startTime: start, endTime: end, teamID: teamID,
                                                             beneficiaries: served, participants: participants),
                                                       actor: "demo", today: today, now: now)
                }
                for demo in pilotCases[seed.name] ?? [] {
                    let caseID = try await store.createCase(pilotID: pilotID, .init(title: demo.title,
                        narrative: "\(seed.name)社工带领志愿者开展服务，记录服务过程、方法与成效（演示数据）。"),
                        files: [EvidenceUpload(fileName: "服务记录.txt", content: Data("\(demo.title)：服务记录（演示数据）\n".utf8))],
                        actor: "demo", now: now)
                    for (action, reason) in demo.steps {
                        _ = try await store.move(caseID: caseID, action: action, reason: reason, reviewer: "demo", now: now)
                    }
                }
            }
            loaded += 1
        }
        return loaded
    }
}
