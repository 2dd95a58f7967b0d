import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #13 §6 on the pages: an office uploads a material file to the resource library (checked
/// by content), and a participant of a completed session rates its trainer once.
final class TrainingLibraryPageTests: XCTestCase {
    func official(_ app: Application, _ name: String) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite), username: name)
    }

    func testAnOfficeUploadsAMaterialFileAndADisallowedOneIsRefused() async throws {
        try await withApp { app in
            // setup
            let browser = try await official(app, "library-clerk")
            let page = try await browser.get("/training/resources")
            XCTAssertTrue(page.body.string.contains(#"id="material-upload-form""#))
            // act
            let exe = try await browser.postMultipart("/training/resources/upload",
                                                      MultipartBody(fields: [("title", "安装程序"), ("topic", "practice"), ("audience", "community_worker")],
                                                                    files: [(name: "setup.exe", data: Data([0x4D, 0x5A, 0x90, 0x00]))]))
            let none = try await browser.postMultipart("/training/resources/upload", MultipartBody(fields: [("title", "没有文件")]))
            let pdf = try await browser.postMultipart("/training/resources/upload",
                                                      MultipartBody(fields: [("title", "社区工作实务讲义"), ("topic", "practice"), ("audience", "community_worker")],
                                                                    files: [(name: "讲义.pdf", data: Data("%PDF-1.4\n%%EOF\n".utf8))]))
            let list = try await browser.get("/training/resources")
            // check: the .exe and the missing file refused on the page, nothing stored; the PDF listed and served
            XCTAssertEqual(exe.status, .unprocessableEntity)
            XCTAssertTrue(exe.body.string.contains("setup.exe"), exe.body.string)
            XCTAssertEqual(none.status, .unprocessableEntity)
            XCTAssertTrue(none.body.string.contains("请选择要上传的文件"))
            XCTAssertEqual(pdf.status, .seeOther, pdf.body.string)
            let stored = try await app.sql.raw("SELECT id, title FROM training_materials").all()
            XCTAssertEqual(try stored.map { try $0.decode(column: "title", as: String.self) }, ["社区工作实务讲义"])
            let id = try stored[0].decode(column: "id", as: String.self)
            XCTAssertTrue(list.body.string.contains(#"href="/training/resources/\#(id)/file""#))
            let file = try await browser.get("/training/resources/\(id)/file")
            XCTAssertEqual(file.headers.first(name: .contentType), "application/pdf")
            XCTAssertTrue(file.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
        }
    }

    func testAParticipantRatesTheTrainerOfACompletedSessionOnce() async throws {
        try await withApp { app in
            // setup: a trainer, a one-day session taught by them, the worker enrolled, attended, completed
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let person = try await app.sql.raw("SELECT id FROM people").first()!.decode(column: "id", as: String.self)
            let office = try await official(app, "rating-clerk")
            try await office.get("/training/trainers")
            let trainer = try await office.post("/training/trainers", form: ["name": "王老师", "fields[]": "practice", "level": "city"])
            XCTAssertEqual(trainer.status, .seeOther, trainer.body.string.prefix(400).description)
            let trainerID = try await app.sql.raw("SELECT id FROM trainers").first()!.decode(column: "id", as: String.self)
            let course = try await office.post("/training/courses", form: ["title": "督导实务", "tier": "county", "audiences[]": "community_worker",
                                                                          "topics[]": "practice", "creditHours": "3"])
            let session = try await office.post((course.headers.first(name: .location) ?? "") + "/sessions",
                                                form: ["startsOn": "2025-06-02", "endsOn": "2025-06-02", "hoursPerDay": "3", "capacity": "5",
                                                       "address": "金泉路社区", "trainerIDs[]": trainerID])
            let path = session.headers.first(name: .location) ?? ""
            _ = try await office.post(path + "/enrol", form: ["idNumber": CensusRow().id])
            _ = try await office.post(path + "/attendance", form: ["personID": person, "day": "2025-06-02", "hours": "3"])
            _ = try await office.post(path + "/complete", form: [:])
            let worker = try await BrowserSession.signIn(app, grant: .socialWorker(person: person), username: "rating-worker")
            // act
            let page = try await worker.get(path)
            let rated = try await worker.post(path + "/rate", form: ["trainerID": trainerID, "rating": "4"])
            let again = try await worker.post(path + "/rate", form: ["trainerID": trainerID, "rating": "1"])
            // check: the form is offered, the first rating saved, the second refused on the page
            XCTAssertTrue(page.body.string.contains(#"id="rating-form""#), page.body.string.prefix(800).description)
            XCTAssertEqual(rated.status, .seeOther, rated.body.string.prefix(600).description)
            XCTAssertNotEqual(again.status, .seeOther)
            let ratings = try await app.sql.raw("SELECT rating FROM trainer_ratings").all().map { try $0.decode(column: "rating", as: Int.self) }
            XCTAssertEqual(ratings, [4])
        }
    }
}
