import FluentKit
import Foundation
import SQLKit
import ShegongDomain

extension PersonStore {
    /// A person left their post on `date` (issue #18 §1, bulk "left post"): the employment with
    /// `organizationID` that the save of the same transaction closed on `recordedOn` ends on `date`
    /// instead, and the employment without an employer that the save opened is not kept (the
    /// person has no post until a new one is recorded).
    public func backdateLeaving(personID: String, organizationID: String, recordedOn: CivilDate, on date: CivilDate) async throws {
        try await db.sql.update("employments").set("end_date", to: date.description)
            .where("person_id", .equal, personID).where("organization_id", .equal, organizationID)
            .where("end_date", .equal, recordedOn.description).run()
        try await db.sql.delete(from: "employments").where("person_id", .equal, personID)
            .where("organization_id", .is, SQLLiteral.null).where("end_date", .is, SQLLiteral.null)
            .where("start_date", .equal, recordedOn.description).run()
    }
}
