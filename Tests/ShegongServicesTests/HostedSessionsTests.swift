import Foundation
import ShegongServices
import ShegongStore
import Testing

/// Issue #14 §1: a practice base shows the training sessions it hosts, and a course's session
/// can be placed at a base its organiser may use — their own subtree's or the city's above.
@Suite struct HostedSessionsTests {
    static let city = "620900", suzhou = "620902", jinta = "620921"

    @Test func aSessionHeldAtABaseIsListedOnTheBaseAndOnlyUsableBasesAreOffered() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: the city's base, Suzhou's and Jinta's, and a Suzhou official's course
            let cityOfficial = PracticeBaseService(context: context, caller: try await context.caller(.official(Self.city, .readWrite), username: "city"))
            let cityBase = try await cityOfficial.create(PracticeBaseInput(regionCode: Self.city, name: "酒泉市社会工作实践基地", level: "city"))
            let suzhouBase = try await cityOfficial.create(PracticeBaseInput(regionCode: Self.suzhou, name: "肃州区实践基地", level: "county"))
            _ = try await cityOfficial.create(PracticeBaseInput(regionCode: Self.jinta, name: "金塔县实践基地", level: "county"))
            let training = TrainingService(context: context, caller: try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou"))
            let course = try await training.createCourse(CourseInput(title: "县级骨干培训", tier: "county", audiences: ["community_worker"],
                                                                     topics: ["practice"], creditHours: "6"))
            // act
            let offered = try await training.practiceBasesForSessions().map(\.name)
            let session = try await training.createSession(course: course.id, SessionInput(startsOn: "2025-06-02", endsOn: "2025-06-03",
                                                                                          hoursPerDay: "3", practiceBaseID: cityBase.id, capacity: 30))
            let hosted = try await cityOfficial.base(cityBase.id).sessions
            // check: the city's and Suzhou's bases are offered, Jinta's is not; the city base lists the session
            #expect(Set(offered) == ["酒泉市社会工作实践基地", "肃州区实践基地"])
            #expect(hosted.map(\.id) == [session.id])
            #expect(hosted.first?.courseTitle == "县级骨干培训")
            #expect(hosted.first?.capacity == 30 && hosted.first?.status == "open")
            #expect(try await cityOfficial.base(suzhouBase.id).sessions.isEmpty)
        }
    }
}
