import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The training pages as an official uses them: a course, a session, an enrolment past capacity
/// refused without the waiting list, attendance, completion, and the hours on the person page.
final class TrainingPageTests: XCTestCase {
    func testAnOfficialRunsASessionAndTheHoursReachThePersonPage() async throws {
        try await withApp { app in
            // setup: one person in Suzhou, a Suzhou official
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let person = try await app.sql.raw("SELECT id FROM people").first()!.decode(column: "id", as: String.self)
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                          username: "suzhou-trainer")
            // act: a course and a one-seat session through the forms
            let course = try await browser.post("/training/courses", form: ["title": "社区工作者全员培训", "tier": "township",
                                                                           "audiences[]": "community_worker", "topics[]": "practice", "creditHours": "6"])
            XCTAssertEqual(course.status, .seeOther, course.body.string.prefix(600).description)
            let coursePath = course.headers.first(name: .location) ?? ""
            let session = try await browser.post(coursePath + "/sessions", form: ["startsOn": "2025-06-02", "endsOn": "2025-06-02", "hoursPerDay": "3",
                                                                                 "capacity": "1", "address": "金泉路社区"])
            XCTAssertEqual(session.status, .seeOther, session.body.string.prefix(600).description)
            let sessionPath = session.headers.first(name: .location) ?? ""
            let enrolled = try await browser.post(sessionPath + "/enrol", form: ["idNumber": CensusRow().id])
            XCTAssertEqual(enrolled.status, .seeOther)
            // a day outside the session is refused on the page, nothing saved
            let outside = try await browser.post(sessionPath + "/attendance", form: ["personID": person, "day": "2025-06-05", "hours": "2"])
            XCTAssertEqual(outside.status, .unprocessableEntity)
            XCTAssertTrue(outside.body.string.contains("2025-06-05 不在班次日期"))
            let marked = try await browser.post(sessionPath + "/attendance", form: ["personID": person, "day": "2025-06-02", "hours": "2.5"])
            XCTAssertEqual(marked.status, .seeOther)
            let completed = try await browser.post(sessionPath + "/complete", form: [:])
            XCTAssertEqual(completed.status, .seeOther)
            // check
            let page = try await browser.get(sessionPath)
            XCTAssertTrue(page.body.string.contains(#"id="training-attendance""#))
            XCTAssertFalse(page.body.string.contains(#"id="attendance-form""#))
            let personPage = try await browser.get("/people/\(person)")
            XCTAssertTrue(personPage.body.string.contains(#"id="person-training-hours""#))
            XCTAssertTrue(personPage.body.string.contains("累计 2.5 学时"))
            let list = try await browser.get("/training")
            XCTAssertTrue(list.body.string.contains("社区工作者全员培训"))
        }
    }
}
