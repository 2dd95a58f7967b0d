import Foundation
import Testing
import ShegongDomain

private func d(_ text: String) -> CivilDate { CivilDate(iso: text)! }

private func credit(_ source: EducationCredit.Source, _ hours: Int, _ on: String, id: String = UUID().uuidString) -> EducationCredit {
    EducationCredit(id: id, source: source, referenceID: id, minutes: hours * 60, creditedOn: d(on), description: "")
}

@Suite("Registration periods and renewal rules (docs/training.md)")
struct RegistrationRulesTests {
    // Periods: three years, both days included; a period begun on 29 February ends on 28 February.
    @Test(arguments: [
        ("2024-06-15", "2027-06-14", "2027-03-15"),
        ("2024-01-01", "2026-12-31", "2026-10-01"),
        ("2024-02-29", "2027-02-28", "2026-12-01"),
        ("2025-03-01", "2028-02-29", "2027-12-01"),
        ("2023-02-28", "2026-02-27", "2025-11-28"),
        ("2024-11-30", "2027-11-29", "2027-08-30"),
    ])
    func periodEndAndWindow(start: String, end: String, window: String) {
        let period = RegistrationPeriod(start: d(start))
        #expect(period.end == d(end))
        #expect(period.windowOpens == d(window))
        #expect(period.nextStart == period.end.adding(days: 1))
    }

    // First registration: within one year of the issue date, the anniversary included.
    @Test(arguments: [
        ("2024-06-15", "2025-06-15"),
        ("2024-02-29", "2025-02-28"),
        ("2023-02-28", "2024-02-28"),
    ])
    func firstRegistrationDeadline(issue: String, deadline: String) {
        #expect(RegistrationRules.firstRegistrationDeadline(issue: d(issue)) == d(deadline))
    }

    // The first and the last day of the window, the day before it and the day after the period.
    @Test(arguments: [
        ("2027-03-14", PeriodState.current, RegistrationDecision.Status.current),
        ("2027-03-15", .window, .window),
        ("2027-06-14", .window, .window),
        ("2027-06-15", .overdue, .overdue),
        ("2024-06-14", .future, .current),
    ])
    func windowDays(today: String, state: PeriodState, status: RegistrationDecision.Status) {
        let decision = RegistrationRules.decide(levels: [HeldLevel(level: .intermediate, issueDate: d("2023-07-01"))],
                                                periods: [RegistrationPeriod(start: d("2024-06-15"))], credits: [], today: d(today))
        #expect(decision.latest?.state == state)
        #expect(decision.status == status)
        let window = decision.latest!.checks.first { $0.rule == .window }!
        #expect(window.outcome == (state == .current || state == .future ? .failed : .passed))
    }

    // The list queries' cut-offs agree with the rules day by day.
    @Test(arguments: ["2027-03-14", "2027-03-15", "2026-11-30", "2026-12-01", "2028-02-29", "2025-02-28", "2025-03-01"])
    func cutoffsAgreeWithRules(today: String) {
        let t = d(today)
        let cutoff = RegistrationRules.latestEndInWindow(today: t)
        for offset in -400...400 {
            let end = t.adding(days: offset)
            #expect((RegistrationRules.windowOpens(end: end) <= t) == (end <= cutoff))
            #expect((RegistrationRules.firstRegistrationDeadline(issue: end) >= t) == (end >= RegistrationRules.firstRegistrationIssueCutoff(today: t)))
        }
    }

    // The degree rule: 90 hours once, on the completion date, whatever the level.
    @Test(arguments: [
        // level, credits, expected done hours, met
        (CertificateLevel.assistant, [credit(.degree, 90, "2025-07-01")], 90, true),
        (.intermediate, [credit(.degree, 90, "2025-07-01")], 90, true),
        (.intermediate, [credit(.degree, 90, "2025-07-01"), credit(.degree, 90, "2026-07-01")], 90, true),
        (.intermediate, [credit(.degree, 90, "2024-06-14")], 0, false),
        (.intermediate, [credit(.session, 30, "2025-01-01"), credit(.recognised, 20, "2026-01-01")], 50, false),
        (.assistant, [credit(.session, 40, "2025-01-01"), credit(.recognised, 32, "2027-06-14")], 72, true),
        (.assistant, [credit(.session, 71, "2025-01-01")], 71, false),
        (.intermediate, [credit(.session, 10, "2024-06-15"), credit(.degree, 90, "2027-06-14")], 100, true),
    ])
    func degreeAndHours(level: CertificateLevel, credits: [EducationCredit], done: Int, met: Bool) {
        let decision = RegistrationRules.decide(period: RegistrationPeriod(start: d("2024-06-15")), followed: false,
                                                levels: [HeldLevel(level: level, issueDate: d("2023-06-15"))], credits: credits,
                                                today: d("2027-04-01"))
        #expect(decision.doneMinutes == done * 60)
        #expect(decision.hoursMet == met)
        #expect(decision.renewable == met)
        let degreeCheck = decision.checks.first { $0.rule == .degree }!
        #expect(degreeCheck.outcome == (decision.credits.contains { $0.source == .degree } ? .passed : .notChecked))
        #expect(decision.credits.filter { $0.source == .degree }.count <= 1)
    }

    // A level raised within a period: the level held on the period's last day sets the hours.
    @Test(arguments: [
        ("2026-01-10", 90, "renewal.check.required.raised"),
        ("2027-06-14", 90, "renewal.check.required.raised"),
        ("2027-06-15", 72, "renewal.check.required.level"),
    ])
    func levelRaisedWithinPeriod(intermediateIssued: String, hours: Int, key: String) {
        let levels = [HeldLevel(level: .assistant, issueDate: d("2023-06-15")),
                      HeldLevel(level: .intermediate, issueDate: d(intermediateIssued))]
        let decision = RegistrationRules.decide(period: RegistrationPeriod(start: d("2024-06-15")), followed: false, levels: levels,
                                                credits: [credit(.session, 80, "2025-01-01")], today: d("2027-04-01"))
        #expect(decision.requiredMinutes == hours * 60)
        #expect(decision.checks.first?.key == key)
        #expect(decision.hoursMet == (hours == 72))
    }

    // A certificate issued on 29 February: first registration until 28 February, periods that end
    // on 28 February in non-leap years and on 29 February's eve in leap ones.
    @Test(arguments: [
        ("2025-02-28", RegistrationDecision.Status.firstDue),
        ("2025-03-01", .firstOverdue),
    ])
    func leapDayIssue(today: String, status: RegistrationDecision.Status) {
        let levels = [HeldLevel(level: .assistant, issueDate: d("2024-02-29"))]
        let decision = RegistrationRules.decide(levels: levels, periods: [], credits: [], today: d(today))
        #expect(decision.status == status)
        #expect(decision.firstDeadline == d("2025-02-28"))
        let registered = RegistrationRules.decide(levels: levels, periods: [RegistrationPeriod(start: d("2024-02-29"))],
                                                  credits: [credit(.session, 72, "2027-02-28")], today: d("2027-02-28"))
        #expect(registered.latest?.period.end == d("2027-02-28"))
        #expect(registered.latest?.state == .window)
        #expect(registered.latest?.hoursMet == true)
        #expect(registered.firstRegistration?.outcome == .passed)
        let next = RegistrationPeriod(start: registered.latest!.period.nextStart)
        #expect(next.start == d("2027-03-01"))
        #expect(next.end == d("2030-02-28"))
    }

    // First registration late, on time, and statuses before any period.
    @Test func firstRegistration() {
        let levels = [HeldLevel(level: .assistant, issueDate: d("2024-06-15"))]
        let late = RegistrationRules.decide(levels: levels, periods: [RegistrationPeriod(start: d("2025-06-16"))], credits: [], today: d("2025-07-01"))
        #expect(late.firstRegistration?.outcome == .failed)
        #expect(late.firstRegistration?.key == "renewal.check.first.late")
        let none = RegistrationRules.decide(levels: [], periods: [], credits: [], today: d("2025-07-01"))
        #expect(none.status == .noCertificate)
        #expect(none.firstRegistration == nil)
    }
}
