import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Continuing education and registration without a web server (issue #13 §3–§5): degree completion
/// reaches the registry with history and one credit, bad input is refused naming its field with
/// nothing written, renewals need the hours, and the lists carry the caller's scope in SQL. The
/// context's clock is 2025-11-25 in Beijing.
@Suite struct ContinuingEducationServiceTests {
    static let suzhou = RegistryServiceTests.suzhou, jinta = RegistryServiceTests.jinta

    /// A person in `county` holding a certificate of `level` issued on `issued`.
    static func holder(_ context: ServiceContext, _ n: Int, county: String, level: CertificateLevel = .intermediate, issued: String,
                       creditCode: String? = nil) async throws -> String {
        var record = try RegistryServiceTests.record(n, name: "持证人\(n)", county: county, creditCode: creditCode)
        record.certificate = CensusCertificate(level: level, number: "CE\(county)\(n)", issueDate: CivilDate(iso: issued)!)
        record.education = .juniorCollege
        record.socialWorkDegree = false
        return try await RegistryServiceTests.person(context, record)
    }

    static func count(_ context: ServiceContext, _ table: String) async throws -> Int {
        try await context.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(table).first()!.decode(column: "n", as: Int.self)
    }

    static let pdf = EvidenceUpload(fileName: "结业证书.pdf", content: Data("%PDF-1.4\n%%EOF\n".utf8))

    @Test func degreeCompletionUpdatesTheRegistryWithHistoryAndCreditsNinetyHoursOnce() async throws {
        try await ServiceTestDatabase.with { context in
            let personID = try await Self.holder(context, 1, county: Self.suzhou, issued: "2023-06-01")
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let service = ContinuingEducationService(context: context, caller: official)
            let study = try await service.enrol(.init(personID: personID, institution: "兰州大学", level: "本科", mode: "part_time",
                                                      startDate: "2022-09-01", expectedCompletion: "2025-07-01"))
            // act: completed, then the same completion sent again
            let completed = try await service.complete(id: study.id, on: "2025-07-01", source: "web")
            _ = try await service.complete(id: study.id, on: "2025-07-01", source: "web")
            // check: the registry shows the degree with history, and the ledger one 90-hour credit
            #expect(completed.completedOn == "2025-07-01")
            let detail = try await PersonService(context: context, caller: official).person(personID)
            #expect(detail.person.education == "本科")
            #expect(detail.person.socialWorkDegree == true)
            #expect(detail.history.contains { $0.field == "education" && $0.before == "大专" && $0.after == "本科" && $0.actor == "suzhou" })
            #expect(detail.history.contains { $0.field == "social_work_degree" })
            let ledger = try await service.ledger(personID: personID)
            #expect(ledger.credits.filter { $0.source == .degree }.map(\.minutes) == [90 * 60])
            #expect(ledger.credits.first?.creditedOn == CivilDate(iso: "2025-07-01"))
            let completions = try await RegistryServiceTests.entries(context, "degree_study.complete")
            #expect(completions.count == 1)
        }
    }

    @Test func aDegreeCompletedBeforeItStartedIsRefusedNamingTheFieldAndNothingIsWritten() async throws {
        try await ServiceTestDatabase.with { context in
            let personID = try await Self.holder(context, 2, county: Self.suzhou, issued: "2023-06-01")
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let service = ContinuingEducationService(context: context, caller: official)
            let study = try await service.enrol(.init(personID: personID, institution: "兰州大学", level: "硕士", mode: "full_time",
                                                      startDate: "2024-09-01", expectedCompletion: "2026-07-01"))
            let error = await #expect(throws: StoreError.self) { try await service.complete(id: study.id, on: "2024-08-31", source: "web") }
            #expect(error?.details.map(\.field) == ["completedOn"])
            #expect(error?.details.first?.code == "degree.completed.before_start")
            #expect(try await service.degree(id: study.id).completedOn == nil)
            #expect(try await Self.count(context, "education_credits") == 0)
            let person = try await PersonService(context: context, caller: official).person(personID)
            #expect(person.person.education == "大专")
        }
    }

    @Test func recognisedLearningRefusesNegativeHoursAndDisallowedFilesWithNothingWritten() async throws {
        try await ServiceTestDatabase.with { context in
            let personID = try await Self.holder(context, 3, county: Self.suzhou, issued: "2023-06-01")
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let service = ContinuingEducationService(context: context, caller: official)
            let negative = await #expect(throws: StoreError.self) {
                try await service.recognise(personID: personID, .init(title: "督导培训", hours: "-3", learnedOn: "2025-05-01"), files: [Self.pdf])
            }
            #expect(negative?.details.map(\.field) == ["hours"])
            let program = EvidenceUpload(fileName: "setup.exe", content: Data([0x4D, 0x5A, 0x90, 0x00]))
            let fake = EvidenceUpload(fileName: "证书.pdf", content: Data("not a pdf".utf8))
            let files = await #expect(throws: StoreError.self) {
                try await service.recognise(personID: personID, .init(title: "督导培训", hours: "12", learnedOn: "2025-05-01"), files: [Self.pdf, program, fake])
            }
            #expect(files?.details.map(\.field) == ["evidence[1]", "evidence[2]"])
            #expect(try await Self.count(context, "education_recognitions") == 0)
            #expect(try await Self.count(context, "education_evidence") == 0)
            #expect(try await Self.count(context, "education_credits") == 0)
            // a valid one: the credit, the file kept by content and downloadable
            let recognised = try await service.recognise(personID: personID, .init(title: "督导培训", hours: "12.5", learnedOn: "2025-05-01"), files: [Self.pdf])
            #expect(recognised.minutes == 750)
            let file = try await service.evidence(id: recognised.files[0].id)
            #expect(file.content == Self.pdf.content)
            #expect(file.file.contentType == "application/pdf")
            #expect(try await service.ledger(personID: personID).credits.map(\.minutes) == [750])
        }
    }

    @Test func aRenewalShortOfHoursIsRefusedWithTheExplanationAndNothingIsWritten() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: registered 2023-01-01 (period to 2025-12-31, window from 2025-10-01): today is in the window
            let personID = try await Self.holder(context, 4, county: Self.suzhou, issued: "2022-06-01")
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let service = ContinuingEducationService(context: context, caller: official)
            let first = try await service.registerFirst(personID: personID, on: "2023-01-01")
            #expect(first.periodEnd == "2025-12-31")
            _ = try await service.recognise(personID: personID, .init(title: "实务技能培训", hours: "40", learnedOn: "2024-05-01"), files: [Self.pdf])
            // act
            let refused = await #expect(throws: StoreError.self) { try await service.renew(personID: personID) }
            // check: the failed rule with its facts, and no new period
            #expect(refused?.code == "registration.renewal.refused")
            #expect(refused?.details.map(\.field) == ["hours_done"])
            #expect(refused?.details.first?.message(.en) == "40 hours done of 90 required: 50 hours short")
            #expect(try await Self.count(context, "registrations") == 1)
            let ledger = try await service.ledger(personID: personID)
            #expect(ledger.decision.status == .window)
            #expect(ledger.decision.short)
            // with the hours made up the renewal follows the period without a gap
            _ = try await service.recognise(personID: personID, .init(title: "督导", hours: "50", learnedOn: "2025-10-10"), files: [Self.pdf])
            let renewed = try await service.renew(personID: personID)
            #expect(renewed.periodStart == "2026-01-01")
            #expect(renewed.periodEnd == "2028-12-31")
            let again = await #expect(throws: StoreError.self) { try await service.registerFirst(personID: personID, on: nil) }
            #expect(again?.details.first?.code == "registration.first.exists")
        }
    }

    @Test func theRegistrationListsCarryTheScopeInSQLAndPage() async throws {
        try await ServiceTestDatabase.with { context in
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let city = try await context.caller(.official("620900", .read), username: "jiuquan")
            let writer = ContinuingEducationService(context: context, caller: official)
            // Suzhou: two in the window (one short), one overdue, one first registration due, one current
            let window = try await Self.holder(context, 10, county: Self.suzhou, issued: "2022-06-01", creditCode: RegistryServiceTests.creditCode)
            let short = try await Self.holder(context, 11, county: Self.suzhou, level: .assistant, issued: "2022-06-01")
            let overdue = try await Self.holder(context, 12, county: Self.suzhou, issued: "2021-06-01")
            let firstDue = try await Self.holder(context, 13, county: Self.suzhou, issued: "2025-03-01")
            let current = try await Self.holder(context, 14, county: Self.suzhou, issued: "2024-06-01")
            _ = try await writer.registerFirst(personID: window, on: "2023-01-01")
            _ = try await writer.recognise(personID: window, .init(title: "督导", hours: "90", learnedOn: "2025-01-01"), files: [Self.pdf])
            _ = try await writer.registerFirst(personID: short, on: "2023-02-01")
            _ = try await writer.registerFirst(personID: overdue, on: "2022-05-01")
            _ = try await writer.registerFirst(personID: current, on: "2024-07-01")
            // Jinta (outside Suzhou): one in the window
            let jinta = try await Self.holder(context, 20, county: Self.jinta, issued: "2022-06-01")
            let jintaOfficial = try await context.caller(.official(Self.jinta, .readWrite), username: "jinta")
            _ = try await ContinuingEducationService(context: context, caller: jintaOfficial).registerFirst(personID: jinta, on: "2023-01-15")
            let suzhou = ContinuingEducationService(context: context, caller: official)
            func ids(_ service: ContinuingEducationService, _ kind: RegistrationListKind, region: String? = nil) async throws -> Set<String> {
                Set(try await service.list(kind, regionCode: region, organizationID: nil, page: 1, perPage: 50).items.map(\.personID))
            }
            #expect(try await ids(suzhou, .window) == [window, short])
            #expect(try await ids(suzhou, .due) == [window, short, firstDue])
            #expect(try await ids(suzhou, .overdue) == [overdue])
            #expect(try await ids(suzhou, .short) == [short, overdue])
            let cityService = ContinuingEducationService(context: context, caller: city)
            #expect(try await ids(cityService, .window) == [window, short, jinta])
            #expect(try await ids(cityService, .window, region: Self.jinta) == [jinta])
            // paged in SQL: the total is the scope's, the page one row
            let page = try await cityService.list(.window, regionCode: nil, organizationID: nil, page: 2, perPage: 1)
            #expect(page.total == 3)
            #expect(page.items.count == 1)
            // a region outside the scope is the unknown region
            await #expect(throws: StoreError.self) { try await suzhou.list(.due, regionCode: Self.jinta, organizationID: nil, page: 1, perPage: 10) }
            // the employer sees their own staff only
            let organizationID = try await context.sql.select().column("organization_id").from("people").where("id", .equal, window).first()!
                .decode(column: "organization_id", as: String.self)
            let manager = try await context.caller(.organizationManager(organization: organizationID), username: "manager")
            #expect(try await ids(ContinuingEducationService(context: context, caller: manager), .due) == [window])
            // the export has the same rows, named, and is audited
            let table = try await cityService.export(.window, regionCode: nil, organizationID: nil, language: .zhHans, format: .csv)
            #expect(table.rows.count == 3)
            #expect(table.rows.allSatisfy { $0[1].text == "肃州区" || $0[1].text == "金塔县" })
            #expect(try await RegistryServiceTests.entries(context, "registration.export").count == 1)
            // a worker may not read the lists
            let worker = try await context.caller(.socialWorker(person: window), username: "worker")
            await #expect(throws: AccessDenied.self) {
                try await ContinuingEducationService(context: context, caller: worker).list(.due, regionCode: nil, organizationID: nil, page: 1, perPage: 10)
            }
            let own = try await ContinuingEducationService(context: context, caller: worker).ownLedger()
            #expect(own?.decision.status == .window)
        }
    }
}

/// A registration entered on a certificate (the registry's own path) follows the same period rule
/// as the ledger: one begun on 29 February ends on 28 February three years later.
@Suite struct CertificateRegistrationPeriodTests {
    @Test func aPeriodBegunOnTwentyNinthFebruaryEndsOnTwentyEighth() async throws {
        try await ServiceTestDatabase.with { context in
            let personID = try await ContinuingEducationServiceTests.holder(context, 30, county: RegistryServiceTests.suzhou, issued: "2023-06-01")
            let official = try await context.caller(.official(RegistryServiceTests.suzhou, .readWrite), username: "suzhou")
            let certificate = try await PersonService(context: context, caller: official).person(personID).certificates[0].id
            let info = try await CertificateService(context: context, caller: official).register(certificateID: certificate, start: CivilDate(iso: "2024-02-29")!)
            #expect(info.periodEnd == "2027-02-28")
        }
    }
}
