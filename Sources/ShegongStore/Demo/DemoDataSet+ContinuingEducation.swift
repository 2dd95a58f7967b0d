import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The demo's registrations, recognised learning and degree study (issue #13, docs/training.md):
/// consistent with the demo's certificates, deterministic, and fast (a few bulk INSERTs). Most
/// holders are registered with periods renewed up to today; some recent holders still have their
/// first registration due, some are overdue; some recognised learning (with a small evidence
/// file) makes some holders in the window met and others short; a Xianfeng (咸丰县) holder is in
/// the renewal window and short of hours. Degree students are people already recorded with a
/// social-work degree (completed, their 90 hours credited) or without one (still studying), so the
/// registry needs no change. Loading twice changes nothing.
extension DemoDataSet {
    static let demoEvidence = Data("继续教育学习证明（演示）\n".utf8)

    static func loadContinuingEducation(db: any Database, now: Date) async throws -> Int {
        let sql = db.sql
        if try await sql.select().column("id").from("registrations").where("registered_by", .equal, "demo").first() != nil { return 0 }
        let today = CivilDate.today(now: now), stamp = Timestamp.string(now)
        let digest = PersonalDataCipher.hex(SHA256.hash(data: demoEvidence))
        struct Holder { var certificate: String; var person: String; var issue: CivilDate; var county: String?; var degree: Bool; var education: String? }
        var seen: Set<String> = []
        var holders: [Holder] = []
        for row in try await sql.select()
            .column(SQLRaw("c.id, c.person_id, c.issue_date, p.county_code, p.social_work_degree, p.education"))
            .from(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "c"), .equal, SQLColumn("id", table: "p"))
            .orderBy(SQLColumn("person_id", table: "c")).orderBy(SQLColumn("issue_date", table: "c")).all() {
            let person: String = try row.decode(column: "person_id")
            guard seen.insert(person).inserted, let issue = CivilDate(iso: try row.decode(column: "issue_date")) else { continue }
            holders.append(Holder(certificate: try row.decode(column: "id"), person: person, issue: issue,
                                  county: try row.decode(column: "county_code"), degree: (try row.decode(column: "social_work_degree", as: Bool?.self)) ?? false,
                                  education: try row.decode(column: "education")))
        }
        var registrations: [[any Encodable & Sendable]] = []
        var recognitions: [[any Encodable & Sendable]] = [], evidence: [[any Encodable & Sendable]] = [], credits: [[any Encodable & Sendable]] = []
        func register(_ holder: Holder, _ period: RegistrationPeriod, kind: String, on date: CivilDate) {
            registrations.append(["demo-reg-\(holder.certificate)-\(period.start)", holder.certificate, period.start.description, period.end.description,
                                  stamp, kind, date.description, "demo"])
        }
        func recognise(_ holder: Holder, hours: Int, on date: CivilDate, title: String) {
            let id = "demo-rec-\(holder.person)-\(date)"
            recognitions.append([id, holder.person, title, hours * 60, date.description, "demo", stamp])
            evidence.append(["demo-evi-\(holder.person)-\(date)", id, holder.person, 0, "学习证明.txt", "text/plain; charset=utf-8",
                             demoEvidence.count, digest, demoEvidence, "demo", stamp])
            credits.append([id, holder.person, EducationCredit.Source.recognised.rawValue, id, hours * 60, date.description, title, "demo", stamp])
        }
        var xianfengInWindow = false
        let windowStart = today.adding(months: 1).adding(months: -RegistrationRules.periodMonths)
        for (i, holder) in holders.enumerated() {
            // the Xianfeng worker of the issue: in the renewal window, short of hours
            if !xianfengInWindow, holder.county == "422826", holder.issue <= windowStart {
                xianfengInWindow = true
                let period = RegistrationPeriod(start: windowStart)
                register(holder, period, kind: "first", on: windowStart)
                recognise(holder, hours: 30, on: period.start.adding(days: 200), title: "咸丰县社会工作实务培训（县级骨干）")
                continue
            }
            let bucket = i % 10
            let deadline = RegistrationRules.firstRegistrationDeadline(issue: holder.issue)
            if deadline >= today && bucket < 6 { continue }            // first registration still due
            if deadline < today && bucket == 9 { continue }            // first registration overdue
            var start = holder.issue.adding(days: 20 + (i * 37) % 300)
            if start > today { continue }
            var kind = "first", registeredOn = start
            while true {
                let period = RegistrationPeriod(start: start)
                register(holder, period, kind: kind, on: registeredOn)
                if period.end >= today {
                    // the current period: some recognised learning, enough for some and short for others
                    if i % 3 == 0, period.start < today {
                        let day = min(today, period.start.adding(days: 90 + i % 200))
                        recognise(holder, hours: bucket % 2 == 0 ? 90 : 24, on: day, title: bucket % 2 == 0 ? "社会工作督导研修班" : "社区治理专题讲座")
                    }
                    break
                }
                if bucket == 8 { break }                                // renewal overdue
                registeredOn = period.windowOpens.adding(days: 10)
                start = period.nextStart
                kind = "renewal"
            }
        }
        try await sql.insertChunked(into: "registrations",
                                    columns: ["id", "certificate_id", "period_start", "period_end", "created_at", "kind", "registered_on", "registered_by"],
                                    rows: registrations)
        try await sql.insertChunked(into: "education_recognitions",
                                    columns: ["id", "person_id", "title", "minutes", "learned_on", "recorded_by", "created_at"], rows: recognitions)
        try await sql.insertChunked(into: "education_evidence",
                                    columns: ["id", "recognition_id", "person_id", "position", "file_name", "content_type", "byte_size", "sha256",
                                              "content", "uploaded_by", "created_at"],
                                    rows: evidence)
        // degree study: every 40th person; those already recorded with the degree have completed it
        var studies: [[any Encodable & Sendable]] = []
        for (i, holder) in holders.enumerated() where i % 40 == 7 {
            let id = "demo-degree-\(holder.person)"
            let completedLevels: [String: DegreeLevel] = [EducationLevel.juniorCollege.rawValue: .juniorCollege,
                                                          EducationLevel.bachelor.rawValue: .bachelor, EducationLevel.master.rawValue: .master]
            let level: DegreeLevel? = holder.degree ? completedLevels[holder.education ?? ""] : .bachelor
            guard let level else { continue }
            let mode = StudyMode.allCases[i % StudyMode.allCases.count]
            if holder.degree {
                let completed = today.adding(months: -(6 + i % 30))
                let start = completed.adding(months: level == .master ? -36 : -48)
                studies.append([id, holder.person, "兰州大学", level.rawValue, mode.rawValue, start.description, completed.description,
                                completed.description, "demo", stamp, stamp])
                credits.append([id + "-credit", holder.person, EducationCredit.Source.degree.rawValue, id, RegistrationRules.degreeMinutes,
                                completed.description, "兰州大学 \(level.rawValue)", "demo", stamp])
            } else {
                let start = CivilDate(year: today.year - 1, month: 9, day: 1)!
                studies.append([id, holder.person, "国家开放大学", level.rawValue, mode.rawValue, start.description,
                                start.adding(months: 34).description, String?.none, "demo", stamp, stamp])
            }
        }
        try await sql.insertChunked(into: "degree_studies",
                                    columns: ["id", "person_id", "institution", "level", "mode", "start_date", "expected_completion", "completed_on",
                                              "created_by", "created_at", "updated_at"], rows: studies)
        try await sql.insertChunked(into: "education_credits",
                                    columns: ["id", "person_id", "source", "reference_id", "minutes", "credited_on", "description", "created_by", "created_at"],
                                    rows: credits)
        return registrations.count
    }
}
