import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// A fully signed-in read-write official of another city (荆州市) tries every training, ledger,
/// degree-study, registration, base, post, pilot, volunteer, activity and case route of 酒泉市's
/// records by id, through the API and the pages: each answers as a record that does not exist
/// (docs/security.md "Scope of the registry": 404, audited as `access.denied`) and nothing is
/// written. Multipart forms without the CSRF token are refused; a repeated rating or case step is
/// refused clearly.
final class TrainingPilotScopeTests: XCTestCase {
    static let jingzhou = Grant.official(region: try! RegionCode.parse("421000").get(), access: .readWrite)
    static let jiuquan = Grant.official(region: try! RegionCode.parse("620900").get(), access: .readWrite)
    static let pdf = EvidenceFileTests.pdf

    /// The tables the attacks could write to.
    static let tables = ["training_courses", "training_sessions", "training_session_trainers", "training_enrolments", "training_attendance",
                         "trainer_ratings", "trainers", "training_materials", "education_credits", "degree_studies", "education_recognitions",
                         "education_evidence", "registrations", "practice_bases", "practice_base_regions", "practice_base_placements",
                         "org_posts", "post_fills", "pilot_communities", "pilot_members", "pilot_volunteers", "pilot_teams", "pilot_activities",
                         "pilot_cases", "pilot_case_steps", "pilot_case_evidence", "people"]

    func counts(_ app: Application) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in Self.tables { counts[table] = try await app.count(table) }
        counts["audit successes"] = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE result = 'success'").first()!
            .decode(column: "n", as: Int.self)
        return counts
    }

    func one(_ app: Application, _ query: SQLQueryString, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let row = try await app.sql.raw(query).first()
        return try XCTUnwrap(row.map { try $0.decode(column: "id", as: String.self) }, "\(query)", file: file, line: line)
    }

    /// 酒泉市's records, from the demo.
    struct Victim {
        var course, session, person, attendee, trainer, degree, base, post, fill, organization, pilot, volunteer: String
        var draftCase, submittedCase, recommendedCase, returnedCase, evidence: String
    }

    func victim(_ app: Application) async throws -> Victim {
        let session = try await one(app, "SELECT s.id FROM training_sessions s JOIN training_courses c ON c.id = s.course_id WHERE c.city_code = '620900' AND EXISTS (SELECT 1 FROM training_enrolments e WHERE e.session_id = s.id) ORDER BY s.status DESC, s.id")
        return Victim(
            course: try await one(app, "SELECT course_id AS id FROM training_sessions WHERE id = \(bind: session)"),
            session: session,
            person: try await one(app, "SELECT id FROM people WHERE city_code = '620900' ORDER BY id"),
            attendee: try await one(app, "SELECT person_id AS id FROM training_enrolments WHERE session_id = \(bind: session) ORDER BY person_id"),
            trainer: try await one(app, "SELECT id FROM trainers WHERE city_code = '620900' ORDER BY id"),
            degree: try await one(app, "SELECT d.id FROM degree_studies d JOIN people p ON p.id = d.person_id WHERE p.city_code = '620900' ORDER BY d.id"),
            base: try await one(app, "SELECT id FROM practice_bases WHERE city_code = '620900' ORDER BY id"),
            post: try await one(app, "SELECT post_id AS id FROM post_fills WHERE to_date IS NULL ORDER BY id"),
            fill: try await one(app, "SELECT id FROM post_fills WHERE to_date IS NULL ORDER BY id"),
            organization: try await one(app, "SELECT o.organization_id AS id FROM org_posts o JOIN post_fills f ON f.post_id = o.id WHERE f.to_date IS NULL ORDER BY f.id"),
            pilot: try await one(app, "SELECT id FROM pilot_communities WHERE region_code LIKE '6209%' ORDER BY id"),
            volunteer: try await one(app, "SELECT id FROM pilot_volunteers ORDER BY id"),
            draftCase: try await one(app, "SELECT id FROM pilot_cases WHERE state = 'draft' ORDER BY id"),
            submittedCase: try await one(app, "SELECT id FROM pilot_cases WHERE state = 'submitted' ORDER BY id"),
            recommendedCase: try await one(app, "SELECT id FROM pilot_cases WHERE state = 'recommended' ORDER BY id"),
            returnedCase: try await one(app, "SELECT id FROM pilot_cases WHERE state = 'returned' ORDER BY id"),
            evidence: try await one(app, "SELECT id FROM pilot_case_evidence ORDER BY id"))
    }

    /// The attacker's token, made for the signed-in account (its password already changed).
    func token(_ app: Application, username: String) async throws -> String {
        try await app.shegong.accounts().createToken(username: username, name: "attack", actor: username).secret
    }

    static func json(_ object: [String: Any]) -> Data { try! JSONSerialization.data(withJSONObject: object) }

    func api(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, json: Data? = nil,
             multipart: MultipartBody? = nil) async throws -> XCTHTTPResponse {
        var answer: XCTHTTPResponse?
        try await app.api(method, path, token: token, beforeRequest: { req in
            if let json {
                req.headers.contentType = .json
                req.body = ByteBuffer(data: json)
            } else if let multipart {
                req.headers.replaceOrAdd(name: .contentType, value: multipart.contentType)
                req.body = ByteBuffer(data: multipart.data)
            }
        }, afterResponse: { answer = $0 })
        return answer!
    }

    func testAnotherCitysOfficialReachesNoneOfJiuquansTrainingBaseAndPilotRecordsByID() async throws {
        try await withApp { app in
            // setup: the demo's 酒泉市 (and 宣城市's posts); an official of 荆州市 signed in, with a token
            _ = try await DemoDataSet(people: 400, seed: 11, progressReports: false).load(db: app.db, cipher: app.shegong.cipher)
            let v = try await victim(app)
            let browser = try await BrowserSession.signIn(app, grant: Self.jingzhou, username: "jingzhou")
            let token = try await token(app, username: "jingzhou")
            let evidence = MultipartBody(fields: [("title", "自学"), ("hours", "3"), ("learnedOn", "2025-05-01"), ("narrative", "x")],
                                         files: [("证明.pdf", Self.pdf)])
            let apiAttacks: [(HTTPMethod, String, Data?, MultipartBody?)] = [
                (.GET, "/api/v1/training/courses/\(v.course)", nil, nil),
                (.POST, "/api/v1/training/courses/\(v.course)/sessions",
                 Self.json(["startsOn": "2026-01-05", "endsOn": "2026-01-05", "hoursPerDay": "3", "address": "荆州", "capacity": 5]), nil),
                (.GET, "/api/v1/training/sessions/\(v.session)", nil, nil),
                (.POST, "/api/v1/training/sessions/\(v.session)/enrolments", Self.json(["personID": v.person]), nil),
                (.POST, "/api/v1/training/sessions/\(v.session)/attendance",
                 Self.json(["entries": [["personID": v.attendee, "day": "2026-01-05", "minutes": 60]]]), nil),
                (.POST, "/api/v1/training/sessions/\(v.session)/complete", nil, nil),
                (.GET, "/api/v1/people/\(v.person)/ledger", nil, nil),
                (.POST, "/api/v1/people/\(v.person)/recognitions", nil, evidence),
                (.POST, "/api/v1/degree-studies", Self.json(["personID": v.person, "institution": "荆州学院", "level": "本科", "mode": "part_time",
                                                   "startDate": "2024-09-01", "expectedCompletion": "2027-07-01"]), nil),
                (.POST, "/api/v1/degree-studies/\(v.degree)/completion", Self.json(["completedOn": "2025-07-01"]), nil),
                (.POST, "/api/v1/people/\(v.person)/registrations", Self.json([:]), nil),
                (.POST, "/api/v1/people/\(v.person)/renewals", nil, nil),
                (.GET, "/api/v1/practice-bases/\(v.base)", nil, nil),
                (.PUT, "/api/v1/practice-bases/\(v.base)", Self.json(["regionCode": "421002", "name": "改名", "level": "county"]), nil),
                (.POST, "/api/v1/practice-bases/\(v.base)/placements", Self.json(["personID": v.person, "kind": "internship", "from": "2026-01-05"]), nil),
                (.GET, "/api/v1/organizations/\(v.organization)/posts", nil, nil),
                (.POST, "/api/v1/organizations/\(v.organization)/posts", Self.json(["name": "社工岗", "category": "community", "numberSet": 2, "funding": "fiscal"]), nil),
                (.PUT, "/api/v1/posts/\(v.post)", Self.json(["name": "社工岗", "category": "community", "numberSet": 9, "funding": "fiscal"]), nil),
                (.POST, "/api/v1/posts/\(v.post)/fills", Self.json(["personID": v.person, "from": "2026-01-05"]), nil),
                (.POST, "/api/v1/posts/\(v.post)/fills/\(v.fill)/end", nil, nil),
                (.GET, "/api/v1/pilots/\(v.pilot)", nil, nil),
                (.PUT, "/api/v1/pilots/\(v.pilot)", Self.json(["periodStart": "2025-01-01"]), nil),
                (.POST, "/api/v1/pilots/\(v.pilot)/members", Self.json(["personID": v.person]), nil),
                (.POST, "/api/v1/pilots/\(v.pilot)/volunteers", Self.json(["name": "冒名", "mobile": "13900002222"]), nil),
                (.POST, "/api/v1/pilots/\(v.pilot)/teams", Self.json(["name": "队", "leaderPersonID": v.person, "volunteerIDs": [v.volunteer]]), nil),
                (.POST, "/api/v1/pilots/\(v.pilot)/activities",
                 Self.json(["title": "活动", "kind": "elderly", "date": "2025-06-01", "startTime": "09:00", "endTime": "10:00", "beneficiaries": 1,
                  "participants": [["volunteerID": v.volunteer, "hours": 1]]]), nil),
                (.GET, "/api/v1/pilots/\(v.pilot)/volunteer-hours", nil, nil),
                (.POST, "/api/v1/pilots/\(v.pilot)/cases", Self.json(["title": "冒名案例", "narrative": "x"]), nil),
                (.GET, "/api/v1/pilot-cases/\(v.draftCase)", nil, nil),
                (.PUT, "/api/v1/pilot-cases/\(v.draftCase)", Self.json(["title": "改", "narrative": "改"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.draftCase)/evidence", nil, MultipartBody(files: [("证明.pdf", Self.pdf)])),
                (.POST, "/api/v1/pilot-cases/\(v.draftCase)/steps", Self.json(["action": "submit"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.submittedCase)/steps", Self.json(["action": "recommend"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.submittedCase)/steps", Self.json(["action": "return", "reason": "不行"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.submittedCase)/steps", Self.json(["action": "reject", "reason": "不行"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.recommendedCase)/steps", Self.json(["action": "select"]), nil),
                (.POST, "/api/v1/pilot-cases/\(v.returnedCase)/steps", Self.json(["action": "submit"]), nil),
                (.GET, "/api/v1/pilot-evidence/\(v.evidence)", nil, nil),
            ]
            let pageAttacks: [(String, [String: String]?, MultipartBody?)] = [
                ("/training/courses/\(v.course)/sessions", ["startsOn": "2026-01-05", "endsOn": "2026-01-05", "hoursPerDay": "3", "capacity": "5", "address": "荆州"], nil),
                ("/training/sessions/\(v.session)/enrol", ["idNumber": "420000199001010000"], nil),
                ("/training/sessions/\(v.session)/withdraw", ["personID": v.attendee], nil),
                ("/training/sessions/\(v.session)/attendance", ["personID": v.attendee, "day": "2026-01-05", "hours": "1"], nil),
                ("/training/sessions/\(v.session)/complete", [:], nil),
                ("/people/\(v.person)/ledger/recognitions", nil, evidence),
                ("/people/\(v.person)/ledger/registrations", [:], nil),
                ("/people/\(v.person)/ledger/renewals", [:], nil),
                ("/people/\(v.person)/ledger/degrees", ["institution": "荆州学院", "level": "本科", "mode": "part_time",
                                                       "startDate": "2024-09-01", "expectedCompletion": "2027-07-01"], nil),
                ("/degree-studies/\(v.degree)/completion", ["completedOn": "2025-07-01"], nil),
                ("/bases/\(v.base)", ["regionCode": "421002", "name": "改名", "level": "county"], nil),
                ("/bases/\(v.base)/placements", ["idNumber": "420000199001010000", "kind": "internship", "from": "2026-01-05"], nil),
                ("/organizations/\(v.organization)/posts", ["name": "社工岗", "category": "community", "numberSet": "2", "funding": "fiscal"], nil),
                ("/posts/\(v.post)/fill", ["personID": v.person, "from": "2026-01-05"], nil),
                ("/posts/\(v.post)/vacate", ["fillID": v.fill], nil),
                ("/pilots/\(v.pilot)/details", ["periodStart": "2025-01-01"], nil),
                ("/pilots/\(v.pilot)/members", ["personID": v.person], nil),
                ("/pilots/\(v.pilot)/volunteers", ["name": "冒名", "mobile": "13900002222"], nil),
                ("/pilots/\(v.pilot)/teams", ["name": "队", "leaderPersonID": v.person, "volunteerIDs": v.volunteer], nil),
                ("/pilots/\(v.pilot)/activities", ["title": "活动", "kind": "elderly", "date": "2025-06-01", "startTime": "09:00",
                                                   "endTime": "10:00", "beneficiaries": "1", "hours-\(v.volunteer)": "1"], nil),
                ("/pilots/\(v.pilot)/cases", nil, MultipartBody(fields: [("title", "冒名案例"), ("narrative", "x")], files: [("证明.pdf", Self.pdf)])),
                ("/pilots/cases/\(v.draftCase)/steps", ["action": "submit"], nil),
                ("/pilots/cases/\(v.submittedCase)/steps", ["action": "recommend"], nil),
                ("/pilots/cases/\(v.recommendedCase)/steps", ["action": "select"], nil),
                ("/pilots/cases/\(v.returnedCase)/steps", ["action": "submit"], nil),
            ]
            let before = try await counts(app)
            let deniedBefore = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access.denied' AND actor = 'jingzhou'")
                .first()!.decode(column: "n", as: Int.self)
            // act
            var answers: [String] = []
            for (method, path, json, multipart) in apiAttacks {
                let res = try await api(app, method, path, token: token, json: json, multipart: multipart)
                answers.append("\(method) \(path.replacingOccurrences(of: "-", with: "")) \(res.status.code)")
            }
            for (path, form, multipart) in pageAttacks {
                let res: XCTHTTPResponse
                if let multipart { res = try await browser.postMultipart(path, multipart) } else { res = try await browser.post(path, form: form ?? [:]) }
                answers.append("POST \(path.replacingOccurrences(of: "-", with: "")) \(res.status.code)")
            }
            // check: every attempt answered 404, nothing written, each refusal audited
            let not404 = answers.filter { !$0.hasSuffix(" 404") }
            XCTAssertEqual(not404, [], "answered otherwise than an unknown record")
            let after = try await counts(app)
            XCTAssertEqual(after, before, "nothing written")
            let deniedAfter = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access.denied' AND actor = 'jingzhou'")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertGreaterThanOrEqual(deniedAfter - deniedBefore, apiAttacks.count + pageAttacks.count - 4,
                                        "the refusals are audited (a few are refused before a record is named)")
        }
    }

    func testAnotherCitysOfficialCannotPullJiuquansBaseTrainerPeopleOrVolunteersIntoTheirOwnRecords() async throws {
        try await withApp { app in
            // setup: the demo's 酒泉市; 荆州市's official with a course, a session, a pilot and a base of their own
            _ = try await DemoDataSet(people: 400, seed: 11, progressReports: false).load(db: app.db, cipher: app.shegong.cipher)
            let v = try await victim(app)
            _ = try await BrowserSession.signIn(app, grant: Self.jingzhou, username: "jingzhou")
            let token = try await token(app, username: "jingzhou")
            let course = try await api(app, .POST, "/api/v1/training/courses", token: token, json: Self.json([
                "title": "荆州社工实务", "tier": "city", "audiences": ["community_worker"], "topics": ["practice"], "creditHours": "3"]))
            XCTAssertEqual(course.status, .created, course.body.string)
            let courseID = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(course.body.readableBytesView)) as? [String: Any])?["id"] as? String)
            let session: [String: Any] = ["startsOn": "2026-03-02", "endsOn": "2026-03-02", "hoursPerDay": "3", "capacity": 5, "address": "荆州市民政局"]
            let own = try await api(app, .POST, "/api/v1/training/courses/\(courseID)/sessions", token: token, json: Self.json(session))
            XCTAssertEqual(own.status, .created, own.body.string)
            let sessionID = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(own.body.readableBytesView)) as? [String: Any])?["id"] as? String)
            let pilot = try await PracticeSiteStore(db: app.db).createPilot(.init(regionCode: "421002", name: "荆州试点", tier: "city"))
            let base = try await api(app, .POST, "/api/v1/practice-bases", token: token,
                                     json: Self.json(["regionCode": "421002", "name": "荆州基地", "level": "county"]))
            XCTAssertEqual(base.status, .created, base.body.string)
            let baseID = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(base.body.readableBytesView)) as? [String: Any])?["id"] as? String)
            let before = try await counts(app)
            // act: 酒泉市's base and trainer for their session, 酒泉市's people and volunteers for their records
            var atBase = session
            atBase["practiceBaseID"] = v.base
            atBase["address"] = nil
            var withTrainer = session
            withTrainer["trainerIDs"] = [v.trainer]
            let answers: [(String, XCTHTTPResponse)] = [
                ("session at 酒泉's base", try await api(app, .POST, "/api/v1/training/courses/\(courseID)/sessions", token: token, json: Self.json(atBase))),
                ("session with 酒泉's trainer", try await api(app, .POST, "/api/v1/training/courses/\(courseID)/sessions", token: token,
                                                          json: Self.json(withTrainer))),
                ("enrol 酒泉's person", try await api(app, .POST, "/api/v1/training/sessions/\(sessionID)/enrolments", token: token,
                                                    json: Self.json(["personID": v.person]))),
                ("pilot member from 酒泉", try await api(app, .POST, "/api/v1/pilots/\(pilot.id)/members", token: token, json: Self.json(["personID": v.person]))),
                ("team of 酒泉's volunteer", try await api(app, .POST, "/api/v1/pilots/\(pilot.id)/teams", token: token,
                                                        json: Self.json(["name": "队", "leaderPersonID": v.person, "volunteerIDs": [v.volunteer]]))),
                ("activity of 酒泉's volunteer", try await api(app, .POST, "/api/v1/pilots/\(pilot.id)/activities", token: token, json: Self.json([
                    "title": "活动", "kind": "elderly", "date": "2025-06-01", "startTime": "09:00", "endTime": "10:00", "beneficiaries": 1,
                    "participants": [["volunteerID": v.volunteer, "hours": 1]]]))),
                ("placement of 酒泉's person", try await api(app, .POST, "/api/v1/practice-bases/\(baseID)/placements", token: token,
                                                          json: Self.json(["personID": v.person, "kind": "internship", "from": "2026-01-05"]))),
            ]
            // check: each refused as an unknown record or a field error naming it; nothing written
            let accepted = answers.filter { $0.1.status.code < 400 || $0.1.status.code >= 500 }.map { "\($0.0) \($0.1.status.code)" }
            XCTAssertEqual(accepted, [])
            XCTAssertTrue(answers[0].1.body.string.contains("training.session.base"), answers[0].1.body.string)
            XCTAssertTrue(answers[1].1.body.string.contains("training.session.trainer_unknown"), answers[1].1.body.string)
            let after = try await counts(app)
            XCTAssertEqual(after, before, "nothing written")
        }
    }

    func testUploadFormsWithoutTheCSRFTokenAreRefusedAndStoreNothing() async throws {
        try await withApp { app in
            // setup: 酒泉市's read-write official, signed in; a person and a pilot of 肃州区
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let person = try await one(app, "SELECT id FROM people")
            let pilot = try await PracticeSiteStore(db: app.db).createPilot(.init(regionCode: "620902", name: "南苑社区", tier: "city"))
            let browser = try await BrowserSession.signIn(app, grant: Self.jiuquan, username: "jiuquan")
            let created = try await browser.postMultipart("/pilots/\(pilot.id)/cases",
                                                          MultipartBody(fields: [("title", "助老"), ("narrative", "入户")], files: [("a.pdf", Self.pdf)]))
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let draft = try await one(app, "SELECT id FROM pilot_cases")
            let before = try await counts(app)
            // act: each upload form without its token, and the case-evidence API with the session cookie but no X-CSRF-Token
            let forged: [(String, MultipartBody)] = [
                ("/training/resources/upload", MultipartBody(fields: [("title", "讲义"), ("topic", "practice"), ("audience", "all")], files: [("a.pdf", Self.pdf)])),
                ("/people/\(person)/ledger/recognitions",
                 MultipartBody(fields: [("title", "自学"), ("hours", "3"), ("learnedOn", "2025-05-01")], files: [("a.pdf", Self.pdf)])),
                ("/pilots/\(pilot.id)/cases", MultipartBody(fields: [("title", "又一个"), ("narrative", "x")], files: [("a.pdf", Self.pdf)])),
            ]
            var statuses: [String] = []
            for (path, body) in forged {
                statuses.append("\(path) \(try await browser.postMultipart(path, body, csrf: "").status.code)")
                statuses.append("\(path) forged \(try await browser.postMultipart(path, body, csrf: "forged-token").status.code)")
            }
            let evidence = MultipartBody(files: [("b.pdf", Self.pdf)])
            let api = try await browser.send(.POST, "/api/v1/pilot-cases/\(draft)/evidence", headers: ["Content-Type": evidence.contentType],
                                             body: ByteBuffer(data: evidence.data))
            statuses.append("api \(api.status.code)")
            // check
            XCTAssertEqual(statuses.filter { !$0.hasSuffix(" 403") }, [])
            let after = try await counts(app)
            XCTAssertEqual(after, before, "nothing stored")
        }
    }

    func testARepeatedRatingAndACaseStepAlreadyTakenAreRefusedClearly() async throws {
        try await withApp { app in
            // setup: the demo; a completed 酒泉 session, one of its trainers and an attendee who has not rated them
            _ = try await DemoDataSet(people: 400, seed: 11, progressReports: false).load(db: app.db, cipher: app.shegong.cipher)
            let row = try await app.sql.raw("""
                SELECT s.id AS session_id, st.trainer_id, a.person_id FROM training_sessions s
                JOIN training_session_trainers st ON st.session_id = s.id
                JOIN training_attendance a ON a.session_id = s.id
                WHERE s.status = 'completed' AND NOT EXISTS (SELECT 1 FROM trainer_ratings r WHERE r.session_id = s.id
                    AND r.trainer_id = st.trainer_id AND r.person_id = a.person_id)
                ORDER BY s.id, a.person_id
                """).first()
            let found = try XCTUnwrap(row)
            let session = try found.decode(column: "session_id", as: String.self), trainer = try found.decode(column: "trainer_id", as: String.self)
            let worker = try await BrowserSession.signIn(app, grant: .socialWorker(person: try found.decode(column: "person_id", as: String.self)),
                                                         username: "worker", language: .en)
            // act: rate twice
            let first = try await worker.post("/training/sessions/\(session)/rate", form: ["trainerID": trainer, "rating": "5"])
            let again = try await worker.post("/training/sessions/\(session)/rate", form: ["trainerID": trainer, "rating": "1"])
            // check
            XCTAssertEqual(first.status, .seeOther, first.body.string.prefix(500).description)
            XCTAssertEqual(again.status, .conflict)
            XCTAssertTrue(again.body.string.contains("You have already rated this trainer"))
            let ratings = try await app.sql.raw("SELECT rating FROM trainer_ratings WHERE session_id = \(bind: session) AND trainer_id = \(bind: trainer)")
                .all().map { try $0.decode(column: "rating", as: Int.self) }
            XCTAssertFalse(ratings.contains(1))

            // act: 酒泉市's reviewer recommends a submitted case twice, and selects a returned one
            let v = try await victim(app)
            let reviewer = try await app.token(Self.jiuquan, username: "reviewer")
            let recommended = try await api(app, .POST, "/api/v1/pilot-cases/\(v.submittedCase)/steps", token: reviewer,
                                            json: Self.json(["action": "recommend"]))
            let twice = try await api(app, .POST, "/api/v1/pilot-cases/\(v.submittedCase)/steps", token: reviewer, json: Self.json(["action": "recommend"]))
            let returned = try await api(app, .POST, "/api/v1/pilot-cases/\(v.returnedCase)/steps", token: reviewer, json: Self.json(["action": "select"]))
            // check: the first step taken, the others refused naming the state; the timeline has one step more
            XCTAssertEqual(recommended.status, .ok, recommended.body.string)
            XCTAssertEqual(twice.status, .conflict)
            XCTAssertTrue(twice.body.string.contains("pilot.case.transition"), twice.body.string)
            XCTAssertEqual(returned.status, .conflict)
            let steps = try await app.sql.raw("SELECT COUNT(*) AS n FROM pilot_case_steps WHERE case_id = \(bind: v.submittedCase) AND action = 'recommend'")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(steps, 1)
        }
    }
}
