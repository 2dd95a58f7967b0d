import FluentKit

/// The import wizard's waiting uploads (docs/deployment.md): each upload's state and its file,
/// in sealed parts, so that any server on the database can show it and commit it, and a restart
/// loses nothing. A part is a slice of the file encrypted with the personal-data key (the file
/// holds full ID and mobile numbers); parts go as soon as no commit can need them.
struct CreateImportUploads: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("import_uploads")
            .field("token", .string, .identifier(auto: false))
            .field("owner", .string, .required)
            .field("file_name", .string, .required)
            .field("state", .string, .required)
            .field("committing", .bool, .required)
            .field("claim", .string)
            .field("report", .string)
            .field("message_key", .string)
            .field("message_arguments", .string)
            .field("touched_at", .double, .required)
            .create()
        try await createIndex(db, "import_uploads_touched", on: "import_uploads", "touched_at")
        try await db.schema("import_upload_parts")
            .field("upload_token", .string, .required)
            .field("seq", .int, .required)
            .field("content", .data, .required)
            .unique(on: "upload_token", "seq")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("import_upload_parts").delete()
        try await db.schema("import_uploads").delete()
    }
}
