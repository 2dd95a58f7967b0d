import FluentKit

/// Social-work posts (岗位开发与设置, issue #14 §2, docs/bases.md): per organisation, posts of a
/// category (the registry's `PostCategory`), with a number set, a funding source and the date
/// they were set (`set_on`, the start of the totals' line over time). Who fills a post is an
/// employment linked to it (`post_fills.employment_id`, the person's employment at that
/// organisation), from a date to a date: a fill is current while its `to_date` is empty and the
/// employment has not ended. The service refuses a fill beyond the number set.
struct CreatePosts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("org_posts")
            .field("id", .string, .identifier(auto: false))
            .field("organization_id", .string, .required, .references("organizations", "id"))
            .field("category", .string, .required)        // PostCategory raw value
            .field("name", .string, .required)
            .field("number_set", .int, .required)
            .field("funding", .string, .required)         // PostFunding raw value
            .field("set_on", .string, .required)          // yyyy-MM-dd
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .create()
        try await createIndex(db, "org_posts_organization", on: "org_posts", "organization_id")
        try await db.schema("post_fills")
            .field("id", .string, .identifier(auto: false))
            .field("post_id", .string, .required, .references("org_posts", "id"))
            .field("employment_id", .string, .required, .references("employments", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("from_date", .string, .required)
            .field("to_date", .string)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "post_fills_post", on: "post_fills", "post_id")
        try await createIndex(db, "post_fills_person", on: "post_fills", "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("post_fills").delete()
        try await db.schema("org_posts").delete()
    }
}
