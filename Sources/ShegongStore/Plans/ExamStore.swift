import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Exam registrants and passes per year, level and region (issue 5 §3), as aggregates.
public struct ExamStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// The `level` column's value for a figure over all levels.
    public static let allLevels = "全部等级"

    /// Validates and writes one figure; the same (year, level, region) is replaced. Returns whether it was new.
    @discardableResult
    public func save(_ figure: ExamFigure, actor: String, now: Date = Date()) async throws -> Bool {
        var details = figure.validate().map { StoreError.Detail(field: Self.field(of: $0.code), code: $0.code, text: .bilingual($0)) }
        if try await RegionStore(db).region(code: figure.region.value) == nil {
            details.append(.init(field: "region", code: "region.unknown", "\(figure.region)"))
        }
        if figure.year > CivilDate.today(now: now).year + 1 {
            details.append(.init(field: "year", code: "exam.year.future", "\(figure.year)"))
        }
        if !details.isEmpty { throw StoreError(.invalid, code: "validation", text: .init("validation.exam"), details: details) }
        let level = figure.level?.rawValue ?? Self.allLevels
        let stamp = Timestamp.string(now)
        return try await db.transaction { tx in
            let existing = try await tx.sql.select().column("id").from("exam_figures").where("year", .equal, figure.year)
                .where("level", .equal, level).where("region_code", .equal, figure.region.value).first()
            if let existing {
                try await tx.sql.update("exam_figures").set("registrants", to: figure.registrants)
                    .set("registrants_at_least", to: figure.registrantsAtLeast ?? false).set("passes", to: figure.passes)
                    .set("provenance", to: figure.provenance.rawValue).set("note", to: figure.note)
                    .set("updated_at", to: stamp).set("updated_by", to: actor)
                    .where("id", .equal, try existing.decode(column: "id", as: String.self)).run()
                return false
            }
            try await tx.sql.insert(into: "exam_figures")
                .columns("id", "year", "level", "region_code", "registrants", "registrants_at_least", "passes", "provenance", "note",
                         "updated_at", "updated_by")
                .values(RecordID.make(), figure.year, level, figure.region.value, figure.registrants, figure.registrantsAtLeast ?? false,
                        figure.passes, figure.provenance.rawValue, figure.note, stamp, actor).run()
            return true
        }
    }

    static func field(of code: String) -> String? {
        if code.contains("year") { return "year" }
        if code.contains("registrants") { return "registrants" }
        if code.contains("passes") { return "passes" }
        return nil
    }

    /// Every figure of `region` and the regions inside it (by code structure), all years: growth
    /// needs the previous year.
    public func figures(in region: Region) async throws -> [ExamFigure] {
        let scope = region.level == .nation ? RegionCode.nation : (try? RegionCode.parse(region.code).get())
        var query = db.sql.select().column("*").from("exam_figures")
        if let scope, scope != .nation { query = query.where(PlanStore.inside(scope, column: "region_code")) }
        let rows = try await query.orderBy("region_code").orderBy("year").orderBy("level").all()
        return try rows.compactMap { row in
            guard case .success(let code) = RegionCode.parse(try row.decode(column: "region_code")),
                  scope.map({ $0 == .nation || $0.contains(code) }) == true else { return nil }
            let level: String = try row.decode(column: "level")
            let atLeast = try row.decode(column: "registrants_at_least", as: Bool.self)
            return ExamFigure(year: try row.decode(column: "year", as: Int.self), level: CertificateLevel(rawValue: level), region: code,
                              registrants: try row.decode(column: "registrants", as: Int?.self), registrantsAtLeast: atLeast ? true : nil,
                              passes: try row.decode(column: "passes", as: Int?.self),
                              provenance: FigureProvenance(rawValue: try row.decode(column: "provenance")) ?? .reported,
                              note: try row.decode(column: "note"))
        }
    }
}
