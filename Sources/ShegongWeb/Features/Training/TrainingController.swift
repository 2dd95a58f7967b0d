import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The training API: each handler decodes, calls `TrainingService`, encodes.
struct TrainingController: RouteCollection {
    struct Enrolment: Content {
        var personID: String
        var waitingList: Bool?
    }

    struct Attendance: Content {
        var entries: [AttendanceEntry]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.trainingCourses) { req in
            try JSONResponse.make(try await req.training.courses(tier: req.queryValue("tier").flatMap(TrainingTier.init(rawValue:))))
        }
        routes.on(.trainingCourseCreate) { req in
            try JSONResponse.make(try await req.training.createCourse(try req.content.decode(CourseInput.self)), status: .created)
        }
        routes.on(.trainingCourse) { req in
            let found = try await req.training.course(try req.parameter("id"))
            return try JSONResponse.make(CourseAnswer(course: found.course, sessions: found.sessions))
        }
        routes.on(.trainingSessionCreate) { req in
            try JSONResponse.make(try await req.training.createSession(course: try req.parameter("id"), try req.content.decode(SessionInput.self)),
                                  status: .created)
        }
        routes.on(.trainingSession) { req in
            try JSONResponse.make(try await req.training.session(try req.parameter("id")))
        }
        routes.on(.trainingEnrolmentCreate) { req in
            let input = try req.content.decode(Enrolment.self)
            let status = try await req.training.enrol(session: try req.parameter("id"), person: input.personID, waitingList: input.waitingList ?? false)
            return try JSONResponse.make(["status": status.rawValue], status: .created)
        }
        routes.on(.trainingAttendanceCreate) { req in
            let input = try req.content.decode(Attendance.self)
            return try JSONResponse.make(["recorded": try await req.training.recordAttendance(session: try req.parameter("id"), input.entries)])
        }
        routes.on(.trainingSessionComplete) { req in
            try JSONResponse.make(["credited": try await req.training.complete(session: try req.parameter("id"))])
        }
        routes.on(.trainers) { req in try JSONResponse.make(try await req.training.trainers()) }
        routes.on(.trainerCreate) { req in
            try JSONResponse.make(try await req.training.createTrainer(try req.content.decode(TrainerInput.self)), status: .created)
        }
        routes.on(.trainingMaterialCreate, body: .stream) { req in
            let (fields, files) = try await ContinuingEducationController.multipart(req)
            func list(_ name: String) -> [String] {
                (fields[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            if files.count > 1 {
                throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.material.invalid"),
                                 details: [.init(field: "file", code: "training.material.one_file")])
            }
            let input = MaterialInput(title: fields["title"] ?? "", topics: list("topics"), audiences: list("audiences"), url: fields["url"])
            return try JSONResponse.make(try await req.training.createMaterial(input, file: files.first, regionCode: fields["regionCode"]),
                                         status: .created)
        }
        routes.on(.trainingMaterials) { req in try JSONResponse.make(try await req.training.materials(search: req.queryValue("q"))) }
    }
}

/// A course with its sessions.
struct CourseAnswer: Encodable {
    var course: TrainingCourse
    var sessions: [TrainingSession]
}

extension Request {
    /// Training's use cases as the signed-in account may take them.
    var training: TrainingService {
        get throws { TrainingService(context: services, caller: try caller) }
    }
}
