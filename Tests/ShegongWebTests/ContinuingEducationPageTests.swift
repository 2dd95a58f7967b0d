import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #13 §3–§5 through the pages: a person's ledger explains each period, an office recognises
/// hours with a file (a disallowed one refused, nothing written), renewal is refused when hours
/// are short, the lists show names and export, and a worker sees their own reminder at home.
final class ContinuingEducationPageTests: XCTestCase {
    /// 甲 in 肃州区, a 社会工作师 registered so that today lies in the renewal window.
    func fixture(_ app: Application) async throws -> (person: String, periodEnd: CivilDate) {
        let today = CivilDate.today()
        var row = CensusRow(); row.name = "甲"; row.level = "社会工作师"; row.issued = today.adding(months: -40).description
        _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
        let person = try await PersonStore(db: app.db, cipher: app.shegong.cipher).list(PersonFilter()).items[0].id
        let certificate = try await app.sql.select().column("id").from("certificates").first()!.decode(column: "id", as: String.self)
        // a period that ends a month from now: in the window
        let start = today.adding(months: 1).adding(months: -36)
        let period = RegistrationPeriod(start: start)
        try await app.sql.insert(into: "registrations").columns("id", "certificate_id", "period_start", "period_end", "created_at", "kind")
            .values("r1", certificate, period.start.description, period.end.description, "2024-01-01T00:00:00Z", "first").run()
        return (person, period.end)
    }

    func testTheLedgerExplainsThePeriodAndRenewalIsRefusedWhileHoursAreShort() async throws {
        try await withApp { app in
            let f = try await fixture(app)
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620902").get(), access: .readWrite),
                                                           username: "suzhou.office")
            let person = try await official.get("/people/\(f.person)")
            XCTAssertTrue(person.body.string.contains(#"href="/people/\#(f.person)/ledger""#), "the person page links the ledger")
            let page = try await official.get("/people/\(f.person)/ledger")
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains(#"data-status="window""#))
            XCTAssertTrue(html.contains(Catalogue.text("ledger.required", .zhHans, "90", "社会工作师")))
            XCTAssertTrue(html.contains(Catalogue.text("renewal.check.hours.short", .zhHans, "0", "90", "90")))
            XCTAssertTrue(html.contains(f.periodEnd.description))

            // renewal refused with the explanation, nothing written
            let refused = try await official.post("/people/\(f.person)/ledger/renewals", form: [:])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(#"id="registration-refused""#))
            XCTAssertTrue(refused.body.string.contains(Catalogue.text("renewal.check.hours.short", .zhHans, "0", "90", "90")))
            let periods = try await app.count("registrations")
            XCTAssertEqual(periods, 1)

            // a disallowed file is refused naming it; nothing written
            let exe = MultipartBody(fields: [("title", "督导培训"), ("hours", "90"), ("learnedOn", CivilDate.today().description)],
                                    files: [(name: "setup.exe", data: Data([0x4D, 0x5A]))])
            let bad = try await official.postMultipart("/people/\(f.person)/ledger/recognitions", exe)
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("setup.exe"))
            let none = try await app.count("education_credits")
            XCTAssertEqual(none, 0)
            // negative hours are refused naming the field
            let negative = MultipartBody(fields: [("title", "督导培训"), ("hours", "-2"), ("learnedOn", CivilDate.today().description)],
                                         files: [(name: "证书.pdf", data: Data("%PDF-1.4\n".utf8))])
            let minus = try await official.postMultipart("/people/\(f.person)/ledger/recognitions", negative)
            XCTAssertEqual(minus.status, .unprocessableEntity)
            XCTAssertTrue(minus.body.string.contains(Catalogue.text("ledger.hours.invalid", .zhHans, "-2")))

            // recognised with a PDF: the hours arrive and renewal goes through
            let good = MultipartBody(fields: [("title", "督导培训"), ("hours", "90"), ("learnedOn", CivilDate.today().description)],
                                     files: [(name: "证书.pdf", data: Data("%PDF-1.4\n".utf8))])
            let recognised = try await official.postMultipart("/people/\(f.person)/ledger/recognitions", good)
            XCTAssertEqual(recognised.status, .seeOther, recognised.body.string)
            let after = try await official.get("/people/\(f.person)/ledger")
            XCTAssertTrue(after.body.string.contains(Catalogue.text("renewal.check.hours.met", .zhHans, "90", "90", "0")))
            XCTAssertTrue(after.body.string.contains("证书.pdf"))
            let renewed = try await official.post("/people/\(f.person)/ledger/renewals", form: [:])
            XCTAssertEqual(renewed.status, .seeOther, renewed.body.string)
            let total = try await app.count("registrations")
            XCTAssertEqual(total, 2)
        }
    }

    func testTheListsShowNamesAndExportAndAWorkerSeesTheirReminder() async throws {
        try await withApp { app in
            let f = try await fixture(app)
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .read),
                                                           username: "jiuquan.reader")
            let list = try await official.get("/registrations?list=window")
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.body.string.contains("甲"))
            XCTAssertTrue(list.body.string.contains("肃州区"))
            XCTAssertTrue(list.body.string.contains(#"href="/people/\#(f.person)/ledger""#))
            let empty = try await official.get("/registrations?list=overdue")
            XCTAssertTrue(empty.body.string.contains(Catalogue.text("registration.empty", .zhHans)))
            let csv = try await official.get("/registrations?list=window&format=csv")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.body.string.contains("甲"))
            XCTAssertTrue(csv.body.string.contains(f.periodEnd.description))
            let xlsx = try await official.get("/registrations?list=window&format=xlsx")
            XCTAssertEqual(xlsx.headers.first(name: .contentType), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

            let worker = try await BrowserSession.signIn(app, grant: .socialWorker(person: f.person), username: "jia.worker")
            let home = try await worker.get("/")
            XCTAssertTrue(home.body.string.contains(#"id="renewal-reminder""#))
            XCTAssertTrue(home.body.string.contains(#"data-status="window""#))
            let own = try await worker.get("/people/\(f.person)/ledger")
            XCTAssertEqual(own.status, .ok)
            XCTAssertFalse(own.body.string.contains(#"id="recognition-form""#), "a worker does not recognise hours")
            let lists = try await worker.get("/registrations")
            XCTAssertEqual(lists.status, .forbidden)
        }
    }

    func testADegreeCompletedBeforeItStartedIsRefusedOnThePageAndCompletionUpdatesThePerson() async throws {
        try await withApp { app in
            let f = try await fixture(app)
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620902").get(), access: .readWrite),
                                                           username: "suzhou.office")
            _ = try await official.get("/people/\(f.person)/ledger")
            let enrolled = try await official.post("/people/\(f.person)/ledger/degrees", form: [
                "institution": "兰州大学", "level": "硕士", "mode": "part_time", "startDate": "2023-09-01", "expectedCompletion": "2026-07-01"])
            XCTAssertEqual(enrolled.status, .seeOther, enrolled.body.string)
            let study = try await app.sql.select().column("id").from("degree_studies").first()!.decode(column: "id", as: String.self)
            _ = try await official.get("/degree-studies")
            let early = try await official.post("/degree-studies/\(study)/completion", form: ["completedOn": "2023-08-01"])
            XCTAssertEqual(early.status, .unprocessableEntity)
            XCTAssertTrue(early.body.string.contains(Catalogue.text("degree.completed.before_start", .zhHans, "2023-09-01")))
            let credits = try await app.count("education_credits")
            XCTAssertEqual(credits, 0)
            let done = try await official.post("/degree-studies/\(study)/completion", form: ["completedOn": CivilDate.today().description])
            XCTAssertEqual(done.status, .seeOther, done.body.string)
            let person = try await official.get("/people/\(f.person)")
            XCTAssertTrue(person.body.string.contains("硕士"))
            let ledger = try await official.get("/people/\(f.person)/ledger")
            XCTAssertTrue(ledger.body.string.contains(Catalogue.text("renewal.check.degree.counted", .zhHans, CivilDate.today().description, "90")))
        }
    }
}
