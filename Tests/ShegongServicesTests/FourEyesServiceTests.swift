import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Four eyes on money (issue #17 §3, docs/policies.md "Four eyes"): the account that submitted an
/// application or approved one of its levels does not approve the next; whoever ran a batch does
/// not approve it, whoever approved it does not record it paid; a region may turn the rule off
/// (only an administrator, audited); a confirmation that no longer matches the batch approves
/// nothing; no allowance is run for a month after the current one. The clock is 2025-11-25.
@Suite struct FourEyesServiceTests {
    static let county = "620902", city = "620900"

    static func yaml(id: String, kind: String, jurisdiction: String, levels: String, rules: String = "") -> String {
        """
        id: \(id)
        name: "\(id) 政策"
        name_en: "\(id) policy"
        jurisdiction: "\(jurisdiction)"
        kind: \(kind)
        review_levels: [\(levels)]
        sources:
          circular:
            document: "测试文件"
        versions:
          - from: 2025-01-01
            source: circular
            amounts:
              助理社会工作师: 500
              社会工作师: 1000
              高级社会工作师: 3000
        \(rules)
        """
    }

    /// A certified worker of 肃州区 (certificate issued 2025-10-15: within the award's year, the
    /// allowance from November, so no arrears).
    static func worker(_ context: ServiceContext, _ n: Int) async throws -> String {
        var record = try RegistryServiceTests.record(n, name: "社工\(n)", county: county)
        record.certificate = CensusCertificate(level: .intermediate, number: "FE-\(n)", issueDate: CivilDate(year: 2025, month: 10, day: 15)!)
        return try await RegistryServiceTests.person(context, record)
    }

    struct Fixture {
        var context: ServiceContext
        var clerk: IncentiveService, approver: IncentiveService, finance: IncentiveService
        var person: String
    }

    /// Three read-write officials of 酒泉市, one worker, an allowance of 肃州区 and an award of 酒泉市.
    static func fixture(_ context: ServiceContext) async throws -> Fixture {
        let person = try await worker(context, 1)
        let policies = PolicyStore(db: context.db)
        _ = try await policies.load(yaml: yaml(id: "fe-allowance", kind: "monthly_allowance", jurisdiction: county, levels: "county",
                                               rules: "    pro_rata: eligible_on_first_day"), actor: "setup")
        _ = try await policies.load(yaml: yaml(id: "fe-award", kind: "one_time_award", jurisdiction: city, levels: "county, city",
                                               rules: "    application_window:\n      within: 1 year\n      inclusive: true\n    upgrade: difference"), actor: "setup")
        func service(_ name: String) async throws -> IncentiveService {
            IncentiveService(context: context, caller: try await context.caller(.official(city, .readWrite), username: name))
        }
        return Fixture(context: context, clerk: try await service("clerk"), approver: try await service("approver"),
                       finance: try await service("finance"), person: person)
    }

    @Test func theSubmitterAndTheApproverOfOneLevelMayNotApproveTheNext() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let f = try await Self.fixture(context)
            let application = try await f.clerk.apply(personID: f.person, policyID: "fe-award", certificateNumber: nil, applicant: "经办")
            // act + check: the submitter is refused, naming the rule; a second account approves the first level
            let own = await #expect(throws: AccessDenied.self) {
                _ = try await f.clerk.review(applicationID: application.id, action: .approve, reason: nil)
            }
            #expect(own?.code == "four_eyes.application_submitted")
            #expect(own?.message.contains("四眼原则") == true)
            let first = try await f.approver.review(applicationID: application.id, action: .approve, reason: nil)
            #expect(first.status == .submitted)
            // the first level's approver may not approve the second; a third account may
            let next = await #expect(throws: AccessDenied.self) {
                _ = try await f.approver.review(applicationID: application.id, action: .approve, reason: nil)
            }
            #expect(next?.code == "four_eyes.application_level")
            let decided = try await f.finance.review(applicationID: application.id, action: .approve, reason: nil)
            #expect(decided.status == .approved)
            // the final approval put a line into the award batch: its approver may not approve the batch
            let batch = try #require(try await f.clerk.batches(policyID: "fe-award").first)
            let runBy = await #expect(throws: AccessDenied.self) {
                _ = try await f.finance.approve(batchID: batch.id, expected: BatchConfirmation(lines: 1, totalFen: 100_000))
            }
            #expect(runBy?.code == "four_eyes.batch_run")
            // every refusal audited; the reviews with their amount
            let denials = try await RegistryServiceTests.entries(context, "access.denied")
            #expect(denials.filter { $0.details?.contains("four_eyes.") == true }.count == 3)
            let reviews = try await RegistryServiceTests.entries(context, "application.review")
            #expect(reviews.count == 2 && reviews.allSatisfy { $0.details?.contains("amount_fen=100000") == true })
        }
    }

    @Test func whoeverRanABatchMayNotApproveItAndItsApproverMayNotRecordItPaid() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let f = try await Self.fixture(context)
            let run = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 11)!)
            let confirmed = BatchConfirmation(lines: run.batch.lines, totalFen: run.batch.totalFen)
            #expect(run.batch.lines == 1 && run.batch.totalFen == 100_000)
            // act + check
            let own = await #expect(throws: AccessDenied.self) { _ = try await f.clerk.approve(batchID: run.batch.id, expected: confirmed) }
            #expect(own?.code == "four_eyes.batch_run")
            let approved = try await f.approver.approve(batchID: run.batch.id, expected: confirmed)
            #expect(approved.status == .approved && approved.approvedBy == "approver")
            let paidByApprover = await #expect(throws: AccessDenied.self) { _ = try await f.approver.markPaid(batchID: run.batch.id, expected: confirmed) }
            #expect(paidByApprover?.code == "four_eyes.batch_approved")
            let paid = try await f.finance.markPaid(batchID: run.batch.id, expected: confirmed)
            #expect(paid.status == .paid && paid.paidBy == "finance")
            // every step audited with its amount and line count
            for action in ["allowance.run", "payment_batch.approve", "payment_batch.paid"] {
                let entries = try await RegistryServiceTests.entries(context, action)
                #expect(entries.count == 1 && entries[0].details?.contains("lines=1") == true
                        && entries[0].details?.contains("total_fen=100000") == true, "\(action): \(entries)")
            }
        }
    }

    @Test func aRegionMayTurnTheRuleOffOnlyThroughAnAdministratorAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let f = try await Self.fixture(context)
            let admin = IncentiveService(context: context, caller: try await context.caller(.securityAdministrator, username: "secadmin"))
            // act + check: an official may not turn it off; an administrator may, with a reason
            let refused = await #expect(throws: AccessDenied.self) {
                _ = try await f.clerk.setFourEyes(regionCode: Self.city, enabled: false, reason: "人手不足")
            }
            #expect(refused?.code == "four_eyes.setting_admins_only")
            await #expect(throws: StoreError.self) { _ = try await admin.setFourEyes(regionCode: Self.city, enabled: false, reason: " ") }
            #expect(try await f.clerk.fourEyesApplies(jurisdiction: Self.county))
            _ = try await admin.setFourEyes(regionCode: Self.city, enabled: false, reason: "县级只有一名经办人员，经市委社会工作部批准")
            // the county below the city inherits the setting: one account runs and approves
            #expect(try await f.clerk.fourEyesApplies(jurisdiction: Self.county) == false)
            let run = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 11)!)
            let approved = try await f.clerk.approve(batchID: run.batch.id, expected: BatchConfirmation(lines: 1, totalFen: 100_000))
            #expect(approved.status == .approved)
            // a county's own row decides over the city's
            _ = try await admin.setFourEyes(regionCode: Self.county, enabled: true, reason: "县里恢复")
            #expect(try await f.clerk.fourEyesApplies(jurisdiction: Self.county))
            let changes = try await RegistryServiceTests.entries(context, "four_eyes.set")
            #expect(changes.count == 2 && changes.allSatisfy { $0.actor == "secadmin" })
        }
    }

    @Test func aRunForAMonthAfterTheCurrentOneIsRefused() async throws {
        try await ServiceTestDatabase.with { context in
            let f = try await Self.fixture(context)
            let future = await #expect(throws: StoreError.self) {
                _ = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 12)!)
            }
            #expect(future?.code == "allowance.future_month")
            #expect(try await f.clerk.batches(policyID: "fe-allowance").isEmpty, "nothing was created")
            let current = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 11)!)
            #expect(current.batch.lines == 1)
        }
    }

    @Test func aStaleConfirmationApprovesNothing() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: the approver saw one line; then a second worker is entered and the run repeated
            let f = try await Self.fixture(context)
            let month = CivilMonth(year: 2025, month: 11)!
            let run = try await f.clerk.runAllowance(policyID: "fe-allowance", month: month)
            let seen = BatchConfirmation(lines: run.batch.lines, totalFen: run.batch.totalFen)
            _ = try await Self.worker(context, 2)
            let again = try await f.clerk.runAllowance(policyID: "fe-allowance", month: month)
            #expect(again.batch.lines == 2)
            // act
            let stale = await #expect(throws: StoreError.self) { _ = try await f.approver.approve(batchID: run.batch.id, expected: seen) }
            // check: refused with both figures, still a draft; the current figures approve
            #expect(stale?.code == "batch.confirmation_stale")
            #expect(stale?.message.contains("2,000.00") == true)
            #expect(try await f.approver.batch(run.batch.id).status == .draft)
            let approved = try await f.approver.approve(batchID: run.batch.id, expected: BatchConfirmation(lines: 2, totalFen: 200_000))
            #expect(approved.status == .approved)
        }
    }

    @Test func batchesAreNumberedByJurisdictionMonthAndSequence() async throws {
        try await ServiceTestDatabase.with { context in
            let f = try await Self.fixture(context)
            _ = try await PolicyStore(db: context.db).load(yaml: Self.yaml(id: "fe-allowance-2", kind: "monthly_allowance", jurisdiction: Self.county,
                                                                          levels: "county", rules: "    pro_rata: eligible_on_first_day"), actor: "setup")
            let first = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 11)!)
            let second = try await f.clerk.runAllowance(policyID: "fe-allowance-2", month: CivilMonth(year: 2025, month: 11)!)
            let october = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 10)!)
            #expect(first.batch.number == "620902-202511-01")
            #expect(second.batch.number == "620902-202511-02")
            #expect(october.batch.number == "620902-202510-01")
            let again = try await f.clerk.runAllowance(policyID: "fe-allowance", month: CivilMonth(year: 2025, month: 11)!)
            #expect(again.batch.number == first.batch.number, "a batch keeps its number")
        }
    }
}

/// A part never above its whole (issue #17 §4, docs/indicators.md "Plausible figures").
@Suite struct PlausibleFiguresTests {
    @Test func moreSchoolsServedThanSchoolsIsRefusedWithTheReason() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let writer = try await context.caller(.official("620900", .readWrite), username: "jq-rw")
            let suzhou = try #require(try await context.regions.region(code: "620902"))
            let service = StatisticsService(context: context, caller: writer)
            _ = try await service.save(region: suzhou, year: 2025, values: [.schools: 120], department: nil, source: "test")
            // act: 130 served of 120
            let refused = await #expect(throws: StoreError.self) {
                _ = try await service.save(region: suzhou, year: 2025, values: [.schoolsWithSocialWork: 130], department: nil, source: "test")
            }
            // check: the reason names both figures; nothing written; 36 of 120 is accepted
            #expect(refused?.code == "statistics.part_exceeds_whole")
            #expect(refused?.message.contains("开展社会工作服务的中小学校数（130）不能多于中小学校数（120）") == true, "\(refused?.message ?? "")")
            #expect(refused?.message(.en).contains("Schools with social-work service (130)") == true)
            let stored = try await RegionStatisticStore(context.db).entries(region: "620902", year: 2025).map(\.statistic)
            #expect(stored == ["schools"])
            _ = try await service.save(region: suzhou, year: 2025, values: [.schoolsWithSocialWork: 36], department: nil, source: "test")
            // lowering the whole below the part is refused the same way
            await #expect(throws: StoreError.self) {
                _ = try await service.save(region: suzhou, year: 2025, values: [.schools: 30], department: nil, source: "test")
            }
        }
    }
}
