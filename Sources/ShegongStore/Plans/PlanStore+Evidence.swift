import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// An evidence file as uploaded, before `EvidenceRules` checked it.
public struct EvidenceUpload: Sendable {
    public var fileName: String
    public var content: Data

    public init(fileName: String, content: Data) {
        self.fileName = fileName
        self.content = content
    }
}

/// A stored evidence file with its bytes and the plan it belongs to (whose jurisdiction decides
/// who may download it).
public struct StoredEvidence: Sendable {
    public var file: EvidenceFile
    public var planID: String
    /// The plan's jurisdiction.
    public var jurisdiction: RegionCode
    /// `plan id:measure id`.
    public var measureKey: String
    public var content: Data
}

extension PlanStore {
    /// The evidence files (without bytes) of the reports on `measures`, by report id, in upload order.
    func evidenceFiles(measuresIn measures: some SQLExpression) async throws -> [String: [EvidenceFile]] {
        var files: [String: [EvidenceFile]] = [:]
        for row in try await db.sql.select().columns("id", "report_id", "file_name", "content_type", "byte_size", "sha256")
            .from("measure_evidence").where(SQLColumn("measure_id"), .in, measures)
            .orderBy("report_id").orderBy("position").all() {
            files[try row.decode(column: "report_id"), default: []].append(try Self.evidenceFile(row))
        }
        return files
    }

    static func evidenceFile(_ row: any SQLRow) throws -> EvidenceFile {
        EvidenceFile(id: try row.decode(column: "id"), fileName: try row.decode(column: "file_name"),
                     contentType: try row.decode(column: "content_type"), size: try row.decode(column: "byte_size", as: Int.self),
                     sha256: try row.decode(column: "sha256"))
    }

    /// One evidence file with its bytes, or nil when there is none with that id.
    public func evidence(id: String) async throws -> StoredEvidence? {
        guard let row = try await db.sql.select()
            .columns(SQLColumn("id", table: "e"), SQLColumn("file_name", table: "e"), SQLColumn("content_type", table: "e"),
                     SQLColumn("byte_size", table: "e"), SQLColumn("sha256", table: "e"), SQLColumn("content", table: "e"),
                     SQLColumn("measure_id", table: "e"), SQLColumn("plan_id", table: "m"), SQLColumn("jurisdiction", table: "p"))
            .from(SQLAlias(SQLIdentifier("measure_evidence"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier("plan_measures"), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("measure_id", table: "e"), .equal, SQLColumn("id", table: "m"))
            .join(SQLAlias(SQLIdentifier("plans"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("plan_id", table: "m"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("id", table: "e"), .equal, SQLBind(id)).first()
        else { return nil }
        guard case .success(let jurisdiction) = RegionCode.parse(try row.decode(column: "jurisdiction")) else { return nil }
        return StoredEvidence(file: try Self.evidenceFile(row), planID: try row.decode(column: "plan_id"), jurisdiction: jurisdiction,
                              measureKey: try row.decode(column: "measure_id"), content: try row.decode(column: "content", as: Data.self))
    }
}
