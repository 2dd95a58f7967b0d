import Foundation
import ShegongDomain
import Testing

/// The pilots' pure rules (docs/pilots.md): the case workflow, activity times and hours, the
/// masked name and the registration standing the public verification shows.
@Suite struct PilotRulesTests {
    @Test(arguments: [
        (PracticeCaseAction.submit, PracticeCaseState.draft, nil as String?, "submitted"),
        (.submit, .returned, nil, "submitted"),
        (.recommend, .submitted, nil, "recommended"),
        (.select, .recommended, nil, "selected"),
        (.return, .submitted, "材料不全", "returned"),
        (.reject, .recommended, "不符合条件", "rejected"),
        (.return, .recommended, nil, "pilot.case.reason_required"),
        (.reject, .submitted, "   ", "pilot.case.reason_required"),
        (.recommend, .draft, nil, "pilot.case.transition"),
        (.select, .submitted, nil, "pilot.case.transition"),
        (.submit, .selected, nil, "pilot.case.transition"),
        (.return, .selected, "撤回", "pilot.case.transition"),
        (.submit, .rejected, nil, "pilot.case.transition"),
    ])
    func aStepMovesOnlyFromItsStatesAndBackwardsOnlyWithAReason(action: PracticeCaseAction, from: PracticeCaseState, reason: String?, expected: String) {
        let outcome: String = switch action.apply(to: from, reason: reason) {
        case .success(let state): state.rawValue
        case .failure(let error): error.code
        }
        #expect(outcome == expected)
    }

    @Test(arguments: [
        ("09:00", "11:30" as String?, nil as Int?, "150"),
        ("09:00", nil, 90, "90"),
        ("9:05", "", 30, "30"),
        ("10:00", "09:00", nil, "pilot.activity.span"),
        ("10:00", "10:00", nil, "pilot.activity.span"),
        ("23:00", nil, 120, "pilot.activity.span"),
        ("25:00", "26:00", nil, "pilot.activity.start"),
        ("09:00", "9h", nil, "pilot.activity.end"),
        ("09:00", nil, nil, "pilot.activity.end_missing"),
    ])
    func anActivityRunsFromItsStartToAnEndOrADurationOnOneDay(start: String, end: String?, duration: Int?, expected: String) {
        let outcome: String = switch ActivitySpan.make(start: start, end: end, durationMinutes: duration) {
        case .success(let span): String(span.minutes)
        case .failure(let error): error.code
        }
        #expect(outcome == expected)
    }

    @Test(arguments: [
        (2.0, "120"), (1.5, "90"), (0.0, "0"), (3.0, "180"),
        (-0.5, "pilot.hours.negative"), (3.5, "pilot.hours.too_long"), (Double.nan, "pilot.hours.invalid"),
    ])
    func hoursAreNeverNegativeNorLongerThanTheActivity(hours: Double, expected: String) {
        let activity = ActivitySpan(start: 9 * 60, end: 12 * 60)
        let outcome: String = switch ActivityHours.minutes(hours, activity: activity) {
        case .success(let minutes): String(minutes)
        case .failure(let error): error.code
        }
        #expect(outcome == expected)
    }

    @Test func spansOverlapWhenTheyShareAMinuteButNotWhenTheyTouch() {
        let morning = ActivitySpan(start: 540, end: 660)
        #expect(morning.overlaps(ActivitySpan(start: 600, end: 700)))
        #expect(morning.overlaps(ActivitySpan(start: 500, end: 1000)))
        #expect(!morning.overlaps(ActivitySpan(start: 660, end: 720)))
        #expect(!morning.overlaps(ActivitySpan(start: 480, end: 540)))
    }

    @Test(arguments: [("张三", "张*"), ("欧阳晓岚", "欧**岚"), ("李", "*"), ("王小明", "王*明"), (" 张三 ", "张*")])
    func theVerificationShowsANameMasked(name: String, masked: String) {
        #expect(NameMask.mask(name) == masked)
    }

    @Test func hoursAreShownWithAtMostOneDecimal() {
        #expect(ActivityHours.text(minutes: 90) == "1.5")
        #expect(ActivityHours.text(minutes: 120) == "2")
        #expect(ActivityHours.text(minutes: 0) == "0")
    }

    @Test func aRegistrationCoveringTheDayIsRegisteredUntilItsEnd() {
        let day = CivilDate(year: 2025, month: 6, day: 1)!
        let old = (start: CivilDate(year: 2019, month: 1, day: 1)!, end: CivilDate(year: 2021, month: 12, day: 31)!)
        let current = (start: CivilDate(year: 2024, month: 1, day: 1)!, end: CivilDate(year: 2026, month: 12, day: 31)!)
        #expect(RegistrationStanding.of([old, current], on: day) == .registered(until: current.end))
        #expect(RegistrationStanding.of([old], on: day) == .expired)
        #expect(RegistrationStanding.of([], on: day) == .notRegistered)
    }
}
