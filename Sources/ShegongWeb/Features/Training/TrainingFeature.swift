import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Training (issue #13 §1, §2, §6, §7): courses, sessions, enrolment, attendance, completion into
/// the continuing-education ledger, trainers and resources; the bulk import command.
struct TrainingFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.trainingCourses, .trainingCourseCreate, .trainingCourse, .trainingSessionCreate, .trainingSession, .trainingEnrolmentCreate,
         .trainingAttendanceCreate, .trainingSessionComplete, .trainers, .trainerCreate, .trainingMaterials, .trainingMaterialCreate]
    }

    func register(_ app: Application) throws {
        try app.register(collection: TrainingController())
        try app.register(collection: TrainingPages())
        try app.register(collection: TrainingCoveragePage())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        TrainingPages.mayRead(principal) ? [.init(order: 85, key: "nav.training", path: "/training")] : []
    }

    var auditActions: [AuditAction] {
        [.trainingCourseCreate, .trainingSessionCreate, .trainingEnrol, .trainingWithdraw, .trainingAttendance, .trainingComplete, .trainingImport,
         .trainingTrainerCreate, .trainingRating, .trainingMaterialCreate, .trainingMaterialDownload]
    }

    var catalogue: [CatalogueEntry] { Catalogue.trainingEntries + Catalogue.trainingCoverageEntries }

    var commands: [(name: String, command: any AnyAsyncCommand)] { [("training", TrainingCommands.group)] }
}
