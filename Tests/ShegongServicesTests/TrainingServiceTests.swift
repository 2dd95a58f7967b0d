import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Training's use cases (issue #13 §1, §2, §6): who sees and organises which courses, the waiting
/// list moving up, completion crediting the ledger once, and bad input refused whole.
@Suite struct TrainingServiceTests {
    static let suzhou = RegistryServiceTests.suzhou, jinta = RegistryServiceTests.jinta

    struct Setup {
        var context: ServiceContext
        var official: TrainingService
        var people: [String]
        var courseID: String
    }

    /// A Suzhou read-write official, `count` Suzhou community workers and a Suzhou course.
    static func setup(_ context: ServiceContext, count: Int = 3) async throws -> Setup {
        var people: [String] = []
        for n in 1...count {
            people.append(try await RegistryServiceTests.person(context, try RegistryServiceTests.record(n, name: "学员\(n)", county: suzhou)))
        }
        let caller = try await context.caller(.official(suzhou, .readWrite), username: "suzhou")
        let official = TrainingService(context: context, caller: caller)
        let course = try await official.createCourse(CourseInput(title: "社区工作者全员培训", tier: "township", audiences: ["community_worker"],
                                                                 topics: ["practice", "社区"], creditHours: "12"))
        return Setup(context: context, official: official, people: people, courseID: course.id)
    }

    static func session(_ s: Setup, capacity: Int = 2, from: String = "2025-06-02", to: String = "2025-06-03") async throws -> TrainingSession {
        try await s.official.createSession(course: s.courseID, SessionInput(startsOn: from, endsOn: to, hoursPerDay: "3",
                                                                            address: "肃州区金泉路社区", capacity: capacity))
    }

    static func credits(_ context: ServiceContext, _ person: String) async throws -> [(minutes: Int, on: String)] {
        try await context.sql.select().columns("minutes", "credited_on").from("education_credits").where("person_id", .equal, person).all()
            .map { (try $0.decode(column: "minutes", as: Int.self), try $0.decode(column: "credited_on", as: String.self)) }
    }

    @Test func anOfficialSeesTheCoursesOfTheirSubtreeOnly() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a Suzhou course, a Jinta official and a Jiuquan city official
            let s = try await Self.setup(context, count: 1)
            let jinta = TrainingService(context: context, caller: try await context.caller(.official(Self.jinta, .readWrite), username: "jinta"))
            let city = TrainingService(context: context, caller: try await context.caller(.official("620900", .read), username: "city"))
            // act, check: Jinta sees nothing and its look at the course is the audited 404
            #expect(try await jinta.courses().isEmpty)
            let error = await #expect(throws: StoreError.self) { try await jinta.course(s.courseID) }
            #expect(error?.kind == .notFound)
            #expect(try await city.courses().map(\.id) == [s.courseID])
            // a read-only city official sees it but cannot add a session
            await #expect(throws: AccessDenied.self) { try await city.createSession(course: s.courseID, SessionInput(startsOn: "2025-06-02", endsOn: "2025-06-02", hoursPerDay: "3", address: "x", capacity: 5)) }
        }
    }

    @Test func theWaitingListMovesUpFirstComeWhenSomeoneWithdraws() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: two seats, four people
            let s = try await Self.setup(context, count: 4)
            let session = try await Self.session(s, capacity: 2)
            // act
            #expect(try await s.official.enrol(session: session.id, person: s.people[0], waitingList: false) == .enrolled)
            #expect(try await s.official.enrol(session: session.id, person: s.people[1], waitingList: false) == .enrolled)
            let full = await #expect(throws: StoreError.self) { try await s.official.enrol(session: session.id, person: s.people[2], waitingList: false) }
            #expect(full?.details.first?.field == "waitingList")
            #expect(try await s.official.enrol(session: session.id, person: s.people[2], waitingList: true) == .waiting)
            #expect(try await s.official.enrol(session: session.id, person: s.people[3], waitingList: true) == .waiting)
            let movedUp = try await s.official.withdraw(session: session.id, person: s.people[0])
            // check: the first on the waiting list has the seat, the second still waits
            #expect(movedUp == s.people[2])
            let detail = try await s.official.session(session.id)
            let status = Dictionary(uniqueKeysWithValues: detail.enrolments.map { ($0.personID, $0.status) })
            #expect(status[s.people[0]] == .withdrawn)
            #expect(status[s.people[2]] == .enrolled)
            #expect(status[s.people[3]] == .waiting)
            #expect(detail.session.seatsTaken == 2)
        }
    }

    @Test func completionCreditsEachAttendeesHoursOnceOnTheLastDay() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 3)
            let session = try await Self.session(s, capacity: 3)
            for person in s.people { _ = try await s.official.enrol(session: session.id, person: person, waitingList: false) }
            // act: two days for the first, one and a half hours for the second, nothing for the third
            _ = try await s.official.recordAttendance(session: session.id, [
                AttendanceEntry(personID: s.people[0], day: "2025-06-02", minutes: 180),
                AttendanceEntry(personID: s.people[0], day: "2025-06-03", minutes: 180),
                AttendanceEntry(personID: s.people[1], day: "2025-06-03", minutes: 90),
            ])
            _ = try await s.official.complete(session: session.id)
            let again = await #expect(throws: StoreError.self) { try await s.official.complete(session: session.id) }
            // check
            #expect(again?.kind == .conflict)
            #expect(try await Self.credits(context, s.people[0]).map(\.minutes) == [360])
            #expect(try await Self.credits(context, s.people[0]).map(\.on) == ["2025-06-03"])
            #expect(try await Self.credits(context, s.people[1]).map(\.minutes) == [90])
            #expect(try await Self.credits(context, s.people[2]).isEmpty)
            #expect(try await s.official.creditedMinutes(person: s.people[0]) == 360)
            // a completed session's list is closed
            await #expect(throws: StoreError.self) { try await s.official.recordAttendance(session: session.id, [AttendanceEntry(personID: s.people[2], day: "2025-06-02", minutes: 60)]) }
        }
    }

    @Test func attendanceBeyondTheSessionOrForSomeoneNotEnrolledIsRefusedWhole() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 2)
            let session = try await Self.session(s, capacity: 2)
            _ = try await s.official.enrol(session: session.id, person: s.people[0], waitingList: false)
            // act
            let error = await #expect(throws: StoreError.self) {
                try await s.official.recordAttendance(session: session.id, [
                    AttendanceEntry(personID: s.people[0], day: "2025-06-02", minutes: 120),   // fine
                    AttendanceEntry(personID: s.people[0], day: "2025-06-04", minutes: 60),    // after the last day
                    AttendanceEntry(personID: s.people[0], day: "2025-06-03", minutes: 240),   // more than 3 hours a day
                    AttendanceEntry(personID: s.people[1], day: "2025-06-02", minutes: 60),    // not enrolled
                ])
            }
            // check: every problem named, nothing written
            #expect(error?.details.map(\.field) == ["entries[1].day", "entries[2].hours", "entries[3].personID"])
            #expect(error?.details.map(\.code) == ["training.attendance.day_outside", "training.attendance.too_many_minutes", "training.attendance.not_enrolled"])
            #expect(try await s.official.session(session.id).attendance.isEmpty)
        }
    }

    @Test func aTrainerCannotTeachTwoOverlappingSessions() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 1)
            let trainer = try await s.official.createTrainer(TrainerInput(name: "王老师", fields: ["practice"], level: "city"))
            _ = try await s.official.createSession(course: s.courseID, SessionInput(startsOn: "2025-06-02", endsOn: "2025-06-04", hoursPerDay: "3",
                                                                                    address: "金泉路社区", capacity: 5, trainerIDs: [trainer.id]))
            // act
            let error = await #expect(throws: StoreError.self) {
                try await s.official.createSession(course: s.courseID, SessionInput(startsOn: "2025-06-04", endsOn: "2025-06-05", hoursPerDay: "3",
                                                                                    address: "金泉路社区", capacity: 5, trainerIDs: [trainer.id]))
            }
            // check
            #expect(error?.details.map(\.field) == ["trainerIDs"])
            #expect(error?.details.first?.code == "training.session.trainer_busy")
            #expect(try await s.official.course(s.courseID).sessions.count == 1)
            #expect(try await s.official.trainers().first?.sessionsTaught == 1)
        }
    }

    @Test func aWorkerEnrolsThemselvesRatesTheTrainerAndSeesTheAverage() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 2)
            let trainer = try await s.official.createTrainer(TrainerInput(name: "李老师", fields: ["law"], level: "province"))
            let session = try await s.official.createSession(course: s.courseID, SessionInput(startsOn: "2025-06-02", endsOn: "2025-06-02", hoursPerDay: "2",
                                                                                              address: "金泉路社区", capacity: 5, trainerIDs: [trainer.id]))
            let worker = TrainingService(context: context, caller: try await context.caller(.socialWorker(person: s.people[0]), username: "worker1"))
            // act: the worker sees the Suzhou course and enrols; not someone else
            #expect(try await worker.courses().count == 1)
            #expect(try await worker.enrol(session: session.id, person: s.people[0], waitingList: false) == .enrolled)
            await #expect(throws: StoreError.self) { try await worker.enrol(session: session.id, person: s.people[1], waitingList: false) }
            _ = try await s.official.recordAttendance(session: session.id, [AttendanceEntry(personID: s.people[0], day: "2025-06-02", minutes: 120)])
            _ = try await s.official.complete(session: session.id)
            try await worker.rate(session: session.id, trainer: trainer.id, rating: 4)
            // check
            #expect(try await s.official.trainers().first?.averageRating == 4)
            await #expect(throws: StoreError.self) { try await worker.rate(session: session.id, trainer: trainer.id, rating: 5) }
        }
    }

    @Test func aDisallowedUploadIsRefusedAndALinkMustBeWeb() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 1)
            let input = MaterialInput(title: "社区矫正实务", topics: ["社区矫正"], audiences: ["all"])
            // act
            let html = await #expect(throws: StoreError.self) {
                try await s.official.createMaterial(input, file: EvidenceUpload(fileName: "讲义.pdf", content: Data("<html><script>x</script>".utf8)))
            }
            var link = input
            link.url = "javascript:alert(1)"
            let script = await #expect(throws: StoreError.self) { try await s.official.createMaterial(link, file: nil) }
            let pdf = try await s.official.createMaterial(input, file: EvidenceUpload(fileName: "讲义.pdf", content: Data("%PDF-1.4 test".utf8)))
            // check
            #expect(html?.details.first?.field == "file")
            #expect(script?.details.first?.field == "url")
            #expect(try await s.official.materials(search: "矫正").map(\.id) == [pdf.id])
            #expect(try await s.official.materialFile(pdf.id).contentType == "application/pdf")
            let jinta = TrainingService(context: context, caller: try await context.caller(.official(Self.jinta, .read), username: "jinta"))
            #expect(try await jinta.materials().isEmpty)
            await #expect(throws: StoreError.self) { try await jinta.materialFile(pdf.id) }
        }
    }

    @Test func aSpreadsheetRowForAnUnknownPersonFailsTheWholeImport() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 2)
            let session = try await Self.session(s, capacity: 5)
            let known = try RegistryServiceTests.record(1, name: "学员1", county: Self.suzhou).residentID.value
            let unknown = try RegistryServiceTests.record(9, name: "外人", county: Self.jinta).residentID.value
            let csv = "身份证号,姓名\n\(known),学员1\n\(unknown),外人\n"
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("enrol-\(UUID().uuidString).csv")
            try Data(csv.utf8).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            // act
            let error = await #expect(throws: StoreError.self) {
                try await s.official.importSheet(session: session.id, kind: .enrolment, reader: try Spreadsheet.openReader(url: url, preferredSheet: nil))
            }
            // check: row 3's ID number named; the known person of row 2 not enrolled either
            #expect(error?.details.map(\.field) == ["row[3].身份证号"])
            #expect(error?.details.first?.message.contains("第 3 行") == true)
            #expect(try await s.official.session(session.id).enrolments.isEmpty)
            // and a good file enrols everyone
            try Data("身份证号\n\(known)\n".utf8).write(to: url)
            let result = try await s.official.importSheet(session: session.id, kind: .enrolment, reader: try Spreadsheet.openReader(url: url, preferredSheet: nil))
            #expect(result.enrolled == 1)
        }
    }

    /// Two enrolments race for the last seat (on PostgreSQL really at once): exactly one gets it.
    @Test func concurrentEnrolmentIntoTheLastSeatGivesExactlyOne() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, count: 6)
            let session = try await Self.session(s, capacity: 1)
            // act: six at once, none with the waiting list
            let results = await withTaskGroup(of: Bool.self) { group in
                for person in s.people {
                    group.addTask { (try? await s.official.enrol(session: session.id, person: person, waitingList: false)) == .enrolled }
                }
                var won = 0
                for await result in group where result { won += 1 }
                return won
            }
            // check
            #expect(results == 1)
            let detail = try await s.official.session(session.id)
            #expect(detail.enrolments.filter { $0.status == .enrolled }.count == 1)
            #expect(detail.session.seatsTaken == 1)
        }
    }
}
