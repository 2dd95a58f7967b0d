import FluentKit

struct CreateEmploymentsCertificatesRegistrations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // person ↔ organisation with post category and dates; the open row (end_date NULL) is current.
        try await db.schema("employments")
            .field("id", .string, .identifier(auto: false))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("organization_id", .string, .references("organizations", "id"))
            .field("post_category", .string)
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .create()
        try await createIndex(db, "employments_person", on: "employments", "person_id")
        try await createIndex(db, "employments_organization", on: "employments", "organization_id")

        // 社会工作者职业水平证书: level, number, issue date; 单独划线 certificates are valid only in those areas.
        try await db.schema("certificates")
            .field("id", .string, .identifier(auto: false))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("level", .string, .required)
            .field("number", .string, .required)
            .field("issue_date", .string, .required)
            .field("low_score_area", .bool, .required)
            .field("created_at", .string, .required)
            .unique(on: "number")
            .create()
        try await createIndex(db, "certificates_person", on: "certificates", "person_id")
        try await createIndex(db, "certificates_issue", on: "certificates", "issue_date")

        // 证书登记办法: each registration lasts 3 years.
        try await db.schema("registrations")
            .field("id", .string, .identifier(auto: false))
            .field("certificate_id", .string, .required, .references("certificates", "id"))
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "registrations_certificate", on: "registrations", "certificate_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("registrations").delete()
        try await db.schema("certificates").delete()
        try await db.schema("employments").delete()
    }
}
