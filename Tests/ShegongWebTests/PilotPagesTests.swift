import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The pilots' pages in both languages and the public verification page and API (docs/pilots.md).
final class PilotPagesTests: XCTestCase {
    static let city = Grant.official(region: try! RegionCode.parse("620900").get(), access: .readWrite)

    /// A pilot in 肃州区 with one volunteer, made through the pages.
    func pilotWithVolunteer(_ app: Application, _ browser: BrowserSession) async throws -> String {
        let pilot = try await PracticeSiteStore(db: app.db).createPilot(.init(regionCode: "620902", name: "肃州区测试试点", tier: "city"))
        try await browser.send(.GET, "/pilots/\(pilot.id)")
        let added = try await browser.post("/pilots/\(pilot.id)/volunteers", form: ["name": "李志愿", "mobile": "13900001111", "skills": "陪伴"])
        XCTAssertEqual(added.status, .seeOther, added.body.string)
        return pilot.id
    }

    func testThePilotPagesInChineseAndEnglish() async throws {
        try await withApp { app in
            for language in [Language.zhHans, .en] {
                let browser = try await BrowserSession.signIn(app, grant: Self.city, username: "city-\(language.tag)", language: language)
                let id = try await pilotWithVolunteer(app, browser)
                let list = try await browser.get("/pilots")
                XCTAssertEqual(list.status, .ok)
                XCTAssertTrue(list.body.string.contains("肃州区测试试点"))
                let page = try await browser.get("/pilots/\(id)")
                XCTAssertEqual(page.status, .ok)
                let html = page.body.string
                XCTAssertTrue(html.contains("139****1111"))
                XCTAssertFalse(html.contains("13900001111"), "a volunteer's mobile is shown masked")
                if language == .en {
                    XCTAssertTrue(html.contains("Volunteers and hours served"))
                    XCTAssertTrue(html.contains("City pilot"))
                    XCTAssertFalse(html.contains("志愿者及服务时长"))
                } else {
                    XCTAssertTrue(html.contains("志愿者及服务时长"))
                    XCTAssertTrue(html.contains("全市试点"))
                }
            }
        }
    }

    func testAnActivityWithHoursLongerThanItselfIsRefusedOnThePageAndAGoodOneIsRecorded() async throws {
        try await withApp { app in
            let browser = try await BrowserSession.signIn(app, grant: Self.city, username: "city", language: .en)
            let id = try await pilotWithVolunteer(app, browser)
            let volunteer: String = try await app.sql.select().column("id").from("pilot_volunteers").first()!.decode(column: "id")
            let form = ["title": "Reading afternoon", "kind": "elderly", "date": "2025-06-01", "startTime": "14:00", "endTime": "15:00",
                        "beneficiaries": "8", "teamID": ""]
            let refused = try await browser.post("/pilots/\(id)/activities", form: form.merging(["hours-\(volunteer)": "2"]) { a, _ in a })
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains("Hours cannot be longer than the activity itself"))
            let activities = try await app.count("pilot_activities")
            XCTAssertEqual(activities, 0)
            let recorded = try await browser.post("/pilots/\(id)/activities", form: form.merging(["hours-\(volunteer)": "1"]) { a, _ in a })
            XCTAssertEqual(recorded.status, .seeOther, recorded.body.string)
            let page = try await browser.get("/pilots/\(id)?done=activity")
            XCTAssertTrue(page.body.string.contains("Reading afternoon"))
            // the export of hours
            let file = try await browser.get("/pilots/\(id)/hours?format=csv")
            XCTAssertEqual(file.status, .ok)
            XCTAssertTrue(file.body.string.contains("李志愿"))
        }
    }

    func testTheDemoGivesJiuquansPilotsCasesInEveryState() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            try await app.loadDemoGeography()  // twice: nothing added the second time
            let states = try await app.sql.raw("SELECT state FROM pilot_cases").all().map { try $0.decode(column: "state", as: String.self) }
            XCTAssertEqual(Set(states), Set(PracticeCaseState.allCases.map(\.rawValue)))
            XCTAssertEqual(states.count, 7)
            let counts = try await app.sql.raw("SELECT name, good_practice_cases FROM pilot_communities ORDER BY name").all()
                .map { "\(try $0.decode(column: "name", as: String.self))=\(try $0.decode(column: "good_practice_cases", as: Int.self))" }
            XCTAssertEqual(counts, ["南苑社区=1", "梨园社区=1"])
            let volunteers = try await app.count("pilot_volunteers")
            XCTAssertEqual(volunteers, 8)
        }
    }

    /// 张三 with certificate 2024620001 (CensusRow's defaults).
    func holder(_ app: Application) async throws {
        _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
    }

    func testTheVerificationPageNeedsNoLoginAndAnswersAWrongNameAndAWrongNumberAlike() async throws {
        try await withApp { app in
            try await holder(app)
            let visitor = BrowserSession(app)
            let empty = try await visitor.get("/verify")
            XCTAssertEqual(empty.status, .ok)
            let token = visitor.cookies["shegong_csrf"] ?? ""
            let hit = try await visitor.send(.POST, "/verify", form: ["certificateNumber": "2024620001", "name": "张三"], csrf: token)
            XCTAssertEqual(hit.status, .ok)
            XCTAssertTrue(hit.body.string.contains("张*"))
            XCTAssertFalse(hit.body.string.contains("张三"))
            let wrongName = try await visitor.send(.POST, "/verify", form: ["certificateNumber": "2024620001", "name": "李四"], csrf: token)
            let wrongNumber = try await visitor.send(.POST, "/verify", form: ["certificateNumber": "2024620999", "name": "张三"], csrf: token)
            XCTAssertEqual(wrongName.status, wrongNumber.status)
            XCTAssertEqual(wrongName.body.string, wrongNumber.body.string)
            XCTAssertTrue(wrongName.body.string.contains("未查到"))
            // without the form's token: refused
            let forged = try await visitor.send(.POST, "/verify", form: ["certificateNumber": "2024620001", "name": "张三"], csrf: "forged")
            XCTAssertEqual(forged.status, .forbidden)
        }
    }

    func testTheVerificationAPIAnswersAlikeAndIsRateLimited() async throws {
        try await withApp { app in
            try await holder(app)
            app.storage[VerificationLimitKey.self] = 3
            var answers: [(HTTPResponseStatus, String)] = []
            for (number, name) in [("2024620001", "李四"), ("2024620999", "张三"), ("2024620001", "张三"), ("2024620001", "张三")] {
                try await app.api(.POST, "/api/v1/certificate-verifications", token: "", beforeRequest: { req in
                    try req.content.encode(["certificateNumber": number, "name": name], as: .json)
                }, afterResponse: { res in answers.append((res.status, res.body.string)) })
            }
            XCTAssertEqual(answers[0].0, .ok)
            XCTAssertEqual(answers[0].0, answers[1].0)
            XCTAssertEqual(answers[0].1, answers[1].1)
            XCTAssertEqual(answers[0].1, #"{"found":false}"#)
            XCTAssertTrue(answers[2].1.contains(#""maskedName":"张*""#))
            XCTAssertEqual(answers[3].0, .tooManyRequests)
        }
    }
}
