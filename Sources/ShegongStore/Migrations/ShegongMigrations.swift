import FluentKit
import SQLKit

/// Every schema change, in the order it is applied. Append-only: a shipped migration is never
/// edited; a change is a new struct at the end of this list.
public enum ShegongMigrations {
    public static let all: [any Migration] = [
        CreateRegions(),
        CreateOrganizations(),
        CreatePeople(),
        CreateEmploymentsCertificatesRegistrations(),
        CreatePersonChanges(),
        CreateCensusStats(),
        CreateCensusImports(),
        LoadNationalRegions(),
        CreateRegionStatistics(),
        CreatePracticeBasesAndPilots(),
        CreatePlans(),
        CreateExamFigures(),
        CreateIncentives(),
        CreateAccounts(),
        CreateAuditLog(),
        AddFirstCertifiedOn(),
        AddEmployerFieldCounts(),
        AddImportIssueMessageKeys(),
        AddPaymentLineFacts(),
        CreateMeasureEvidence(),
        AddPracticeBaseLevelAndPilotTier(),
        AddPaperApplicationDate(),
        CreateEducationCredits(),
        CreatePilotWork(),
        CreateVerificationCounters(),
        AddFourEyesAndBatchNumbers(),
        AddPracticeBaseDetails(),
        CreatePosts(),
        CreateDegreeStudiesAndRecognitions(),
        AddRegistrationRecordFields(),
        CreateTraining(),
        AddTrainingSessionBaseIndex(),
        CreateLoginAttempts(),
        CreateImportUploads(),
        AddPeopleListIndexes(),
        CreateImportChanges(),
        AddMeasureCompletionConfirmation(),
        CreateAuthGeneration(),
        AddListIndexes(),
        CreateWritePositions(),
        CreateDepartments(),
    ]
}

extension Database {
    /// The SQL interface of the same connection (and transaction). Both drivers provide it.
    public var sql: any SQLDatabase { self as! any SQLDatabase }
}

func createIndex(_ db: any Database, _ name: String, on table: String, _ columns: String..., unique: Bool = false) async throws {
    var builder = db.sql.create(index: name).on(table)
    if unique { builder = builder.unique() }
    for column in columns { builder = builder.column(column) }
    try await builder.run()
}
