import FluentKit
import Foundation
import SQLKit
import ShegongDomain

public struct PolicySummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var kind: String
    public var jurisdiction: String
    public var placeholder: Bool
    public var active: Bool
    public var loadedAt: String
    public var loadedBy: String
    /// The file's `name_en`, when it has one.
    public var englishName: String? = nil

    /// The name in a page's language: the English name when the file has one, else the Chinese.
    public var displayName: PolicyText { PolicyText(zh: name, en: englishName ?? name) }
}

/// Incentive policies kept as their YAML text (the format of docs/policies.md), parsed on use.
public struct PolicyStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// Parses and validates a policy file: format errors with line and key, then the checks only
    /// the registry can make (the jurisdiction and work regions exist).
    public func check(yaml: String) async throws -> Result<IncentivePolicy, PolicyErrorList> {
        switch IncentivePolicy.parse(yaml: yaml) {
        case .failure(let errors): return .failure(errors)
        case .success(let policy):
            var errors: [PolicyError] = []
            let regions = RegionStore(db)
            var codes = [policy.jurisdiction]
            for version in policy.versions { codes += version.workRegions ?? [] }
            for code in Set(codes.map(\.value)).sorted() where try await regions.region(code: code) == nil {
                errors.append(PolicyError(path: "jurisdiction", code: "policy.region.unknown", code))
            }
            return errors.isEmpty ? .success(policy) : .failure(PolicyErrorList(errors))
        }
    }

    /// Activates a policy (a new text for an existing id replaces it; every text is kept).
    public func load(yaml: String, actor: String, now: Date = Date()) async throws -> IncentivePolicy {
        let policy: IncentivePolicy
        switch try await check(yaml: yaml) {
        case .success(let p): policy = p
        case .failure(let errors):
            throw StoreError(.invalid, code: "policy.invalid", "\(errors.errors.count)",
                             details: errors.errors.map { .init(field: $0.path, code: $0.code, text: $0.textWithLine) })
        }
        let stamp = Timestamp.string(now)
        try await db.transaction { tx in
            // Updated in place, never deleted and inserted again: batches, lines and applications refer to it.
            let columns = ["id", "name", "kind", "jurisdiction", "yaml", "placeholder", "active", "loaded_at", "loaded_by"]
            try await tx.sql.insert(into: "incentive_policies").columns(columns)
                .values(policy.id, policy.name, policy.kind.rawValue, policy.jurisdiction.value, yaml, policy.placeholderAmounts, true, stamp, actor)
                .onConflict(with: ["id"]) { update in columns.dropFirst().reduce(update) { $0.set(excludedValueOf: $1) } }
                .run()
            try await tx.sql.insert(into: "incentive_policy_revisions").columns("policy_id", "yaml", "loaded_at", "loaded_by")
                .values(policy.id, yaml, stamp, actor).run()
        }
        return policy
    }

    public func list() async throws -> [PolicySummary] {
        try await db.sql.select().columns("id", "name", "kind", "jurisdiction", "placeholder", "active", "loaded_at", "loaded_by", "yaml")
            .from("incentive_policies").orderBy("jurisdiction").orderBy("id").all().map(Self.summary(from:))
    }

    public func policy(id: String) async throws -> IncentivePolicy? {
        guard let row = try await db.sql.select().column("yaml").from("incentive_policies").where("id", .equal, id).first() else { return nil }
        return try Self.parse(try row.decode(column: "yaml"), id: id)
    }

    public func active() async throws -> [IncentivePolicy] {
        try await db.sql.select().columns("id", "yaml").from("incentive_policies").where("active", .equal, true).orderBy("id").all().map {
            try Self.parse(try $0.decode(column: "yaml"), id: try $0.decode(column: "id"))
        }
    }

    static func parse(_ yaml: String, id: String) throws -> IncentivePolicy {
        switch IncentivePolicy.parse(yaml: yaml) {
        case .success(let policy): return policy
        case .failure(let errors):
            throw StoreError(.conflict, code: "policy.stored_invalid", id, errors.errors.first.map { CatalogueMessage.message($0.text) } ?? "")
        }
    }

    /// The seed policies shipped with Shegong (docs/conventions.md §2), loaded by `shegong demo`.
    public static func seedFiles() throws -> [(name: String, yaml: String)] {
        guard let folder = Bundle.module.url(forResource: "policies", withExtension: nil, subdirectory: "Resources") else { return [] }
        let urls = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "yaml" }
        return try urls.sorted { $0.lastPathComponent < $1.lastPathComponent }.map {
            ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8))
        }
    }
}
