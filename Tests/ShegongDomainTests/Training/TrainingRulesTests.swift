import Foundation
import ShegongDomain
import Testing

/// The training rules an office meets when it plans a session and records attendance
/// (docs/training.md "Training"): the schedule a session may have, the hours a day may be
/// credited, hours as offices write them, a trainer's overlapping sessions, and the bulk sheet.
@Suite struct TrainingRulesTests {
    static func day(_ text: String) -> CivilDate { CivilDate(censusText: text)! }

    @Test(arguments: [
        // starts, ends, minutes a day, the problems by field
        ("2025-06-02", "2025-06-03", 180, [String]()),
        ("2025-06-02", "2025-06-02", 30, []),                                   // one day, half an hour: the shortest
        ("2025-06-02", "2025-07-31", 720, []),                                  // 60 days of 12 hours: the longest
        ("2025-06-03", "2025-06-02", 180, ["endsOn:training.session.ends_before"]),
        ("2025-06-02", "2025-08-01", 180, ["endsOn:training.session.too_long"]),   // 61 days
        ("2025-06-02", "2025-06-03", 29, ["hoursPerDay:training.session.hours_per_day"]),
        ("2025-06-02", "2025-06-03", 721, ["hoursPerDay:training.session.hours_per_day"]),
        ("", "2025-06-03", 180, ["startsOn:training.session.date"]),
    ])
    func aSessionsScheduleIsCheckedFieldByField(starts: String, ends: String, minutes: Int, expected: [String]) {
        let problems = SessionSchedule.problems(startsOn: CivilDate(censusText: starts), endsOn: CivilDate(censusText: ends), minutesPerDay: minutes)
        #expect(problems.map { "\($0.field):\($0.code)" } == expected)
    }

    @Test(arguments: [
        // the day, minutes attended, the problem (nil: recorded)
        ("2025-06-02", 180, String?.none),          // the first day, the whole day
        ("2025-06-04", 90, nil),                    // the last day, half of it
        ("2025-06-01", 60, "training.attendance.day_outside"),
        ("2025-06-05", 60, "training.attendance.day_outside"),
        ("2025-06-03", 181, "training.attendance.too_many_minutes"),
        ("2025-06-03", 0, "training.attendance.minutes"),
        ("2025-06-03", -30, "training.attendance.minutes"),
    ])
    func attendanceStaysInsideTheSessionsDaysAndHours(day: String, minutes: Int, expected: String?) {
        let schedule = SessionSchedule(startsOn: Self.day("2025-06-02"), endsOn: Self.day("2025-06-04"), minutesPerDay: 180)
        #expect(schedule.attendanceProblem(day: Self.day(day), minutes: minutes) == expected)
        #expect(schedule.totalMinutes == 540)
    }

    @Test(arguments: [
        ("2025-06-04", "2025-06-05", true),     // shares the last day
        ("2025-06-01", "2025-06-02", true),     // shares the first day
        ("2025-06-05", "2025-06-06", false),    // the day after
        ("2025-05-30", "2025-06-01", false),    // the days before
    ])
    func aTrainerCannotTeachTwoSessionsThatShareADay(starts: String, ends: String, overlaps: Bool) {
        let taught = SessionSchedule(startsOn: Self.day("2025-06-02"), endsOn: Self.day("2025-06-04"), minutesPerDay: 180)
        let other = SessionSchedule(startsOn: Self.day(starts), endsOn: Self.day(ends), minutesPerDay: 180)
        #expect(taught.overlaps(other) == overlaps)
        #expect(other.overlaps(taught) == overlaps)
    }

    @Test(arguments: [
        ("3", Int?.some(180)), ("2.5", 150), ("1.25", 75), (" 4 ", 240), ("24", 1440),
        ("0", nil), ("-1", nil), ("1.1", 66), ("1.01", nil), ("24.5", nil), ("三", nil), ("1,5", nil), ("", nil), ("1e2", nil),
    ])
    func hoursAreReadAsOfficesWriteThemToWholeMinutes(text: String, minutes: Int?) {
        #expect(TrainingHours.minutes(text) == minutes)
        if let minutes { #expect(TrainingHours.minutes(TrainingHours.text(minutes)) == minutes, "written back as read") }
    }

    @Test func minutesAreShownAsHoursWithoutTrailingZeros() {
        #expect(TrainingHours.text(180) == "3")
        #expect(TrainingHours.text(150) == "2.5")
        #expect(TrainingHours.text(75) == "1.25")
    }

    static func row(_ number: Int, _ cells: [String]) -> SpreadsheetRow {
        SpreadsheetRow(number: number, cells: cells.map { .text($0) })
    }

    @Test func anAttendanceSheetNamesEveryBadCellByRowAndColumn() throws {
        let id = try #require(ResidentID.make(addressCode: "620902", birthDate: Self.day("1990-05-01"), sequence: 3))
        let rows = [Self.row(1, ["身份证号", "姓名", "日期", "学时"]),
                    Self.row(2, [id.value, "张三", "2025-06-02", "3"]),
                    Self.row(3, ["123", "李四", "2025-06-31", "三"])]
        let parsed = TrainingSheet.parse(rows, kind: .attendance, today: Self.day("2025-07-01"))
        #expect(parsed.issues.map { "\($0.row ?? 0):\($0.column):\($0.code)" }
                == ["3:身份证号:training.import.id_number", "3:日期:training.import.date", "3:学时:training.import.hours"])
        #expect(parsed.rows.map(\.minutes) == [180])
    }

    @Test func aSheetMissingAColumnOrWithAnUnknownOneIsRefusedBeforeAnyRow() {
        let missing = TrainingSheet.parse([Self.row(1, ["身份证号", "姓名"])], kind: .attendance, today: Self.day("2025-07-01"))
        #expect(missing.issues.map(\.code) == ["training.import.missing_column", "training.import.missing_column"])
        let unknown = TrainingSheet.parse([Self.row(1, ["身份证号", "备注"])], kind: .enrolment, today: Self.day("2025-07-01"))
        #expect(unknown.issues.map { "\($0.column):\($0.code)" } == ["备注:training.import.unknown_column"])
        let empty = TrainingSheet.parse([Self.row(1, ["身份证号"])], kind: .enrolment, today: Self.day("2025-07-01"))
        #expect(empty.issues.map(\.code) == ["training.import.empty"])
    }
}
