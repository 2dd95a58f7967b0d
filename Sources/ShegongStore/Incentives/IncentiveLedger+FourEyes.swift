import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A region's four-eyes setting (`four_eyes_settings`): on unless the region or the nearest region
/// above it with a row says otherwise.
public struct FourEyesSetting: Codable, Sendable, Equatable {
    public var regionCode: String
    public var enabled: Bool
    public var reason: String
    public var changedBy: String
    public var changedAt: String
}

/// What the four-eyes rule needs to know (docs/policies.md "Four eyes"): who submitted and who
/// approved which level of an application, who put lines into a batch, and the region's setting.
extension IncentiveLedger {
    /// The accounts that approved a level of the application, with the level's step.
    public func approvals(applicationID: String) async throws -> [(step: Int, reviewer: String)] {
        try await db.sql.select().columns("step", "reviewer").from("application_reviews")
            .where("application_id", .equal, applicationID).where("action", .equal, ReviewAction.approve.rawValue)
            .orderBy("id").all().map { (try $0.decode(column: "step", as: Int.self), try $0.decode(column: "reviewer", as: String.self)) }
    }

    /// The review step an application now waits at.
    public func reviewStep(applicationID: String) async throws -> Int? {
        try await db.sql.select().column("review_step").from("award_applications").where("id", .equal, applicationID).first()?
            .decode(column: "review_step", as: Int.self)
    }

    /// The accounts that put lines into the batch (allowance runs, final approvals of awards).
    public func runners(batchID: String) async throws -> Set<String> {
        Set(try await db.sql.select().column("username").from("payment_batch_runners").where("batch_id", .equal, batchID).all()
            .map { try $0.decode(column: "username", as: String.self) })
    }

    /// The setting that decides for a region whose path (nation first) is `codes`: the row of the
    /// deepest region on it, nil when none has one (the rule is then on).
    public func fourEyesSetting(path codes: [String]) async throws -> FourEyesSetting? {
        guard !codes.isEmpty else { return nil }
        let rows = try await db.sql.select().columns("region_code", "enabled", "reason", "changed_by", "changed_at").from("four_eyes_settings")
            .where("region_code", .in, codes).all().map {
                FourEyesSetting(regionCode: try $0.decode(column: "region_code"), enabled: try $0.decode(column: "enabled"),
                                reason: try $0.decode(column: "reason"), changedBy: try $0.decode(column: "changed_by"),
                                changedAt: try $0.decode(column: "changed_at"))
            }
        return rows.max { (codes.firstIndex(of: $0.regionCode) ?? -1) < (codes.firstIndex(of: $1.regionCode) ?? -1) }
    }

    /// Every region's row (the rule holds as on wherever no region on the path has one), by region code.
    public func fourEyesSettings() async throws -> [FourEyesSetting] {
        try await db.sql.select().columns("region_code", "enabled", "reason", "changed_by", "changed_at").from("four_eyes_settings")
            .orderBy("region_code").all().map {
                FourEyesSetting(regionCode: try $0.decode(column: "region_code"), enabled: try $0.decode(column: "enabled"),
                                reason: try $0.decode(column: "reason"), changedBy: try $0.decode(column: "changed_by"),
                                changedAt: try $0.decode(column: "changed_at"))
            }
    }

    /// Turns the rule on or off for a region (and the regions below it without a row of their own).
    public func setFourEyes(regionCode: String, enabled: Bool, reason: String, actor: String, now: Date = Date()) async throws -> FourEyesSetting {
        let setting = FourEyesSetting(regionCode: regionCode, enabled: enabled, reason: reason, changedBy: actor, changedAt: Timestamp.string(now))
        let columns = ["region_code", "enabled", "reason", "changed_by", "changed_at"]
        try await db.sql.insert(into: "four_eyes_settings").columns(columns)
            .values(setting.regionCode, setting.enabled, setting.reason, setting.changedBy, setting.changedAt)
            .onConflict(with: ["region_code"]) { update in columns.dropFirst().reduce(update) { $0.set(excludedValueOf: $1) } }
            .run()
        return setting
    }
}
