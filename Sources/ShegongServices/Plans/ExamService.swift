import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Exam mobilisation: registrants and passes per year, level and region inside the caller's
/// scope; entering a figure and importing the exam authority's pass list, audited.
public struct ExamService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)
    public static let writers = Permission.write(.official)

    /// Every figure of `region` and the regions inside it, all years (growth needs the previous
    /// one), with the mobilisation that computes pass rates and growth over them. The region must
    /// be in the caller's scope (the audited 404 otherwise); the region condition is in the query.
    public func figures(in region: Region) async throws -> (figures: [ExamFigure], mobilisation: ExamMobilisation) {
        try await context.require(caller, Self.readers, "exam_figure")
        try await context.requireReadable(caller, region)
        let figures = try await ExamStore(db: await context.readDatabase(for: caller)).figures(in: region)
        return (figures, ExamMobilisation(figures: figures))
    }

    /// Saves one figure (a year, level and region; again: replaced) in a region the caller may
    /// change: outside the scope the audited 404, read-only the audited 403. Whether it was new.
    public func save(_ figure: ExamFigure) async throws -> Bool {
        try await context.require(caller, Self.writers, "exam_figure", figure.region.value)
        if try await context.regions.region(code: figure.region.value) != nil {
            let region = try await context.region(caller, code: figure.region.value, field: "region")
            guard caller.scope.mayWrite(region: region.path) else {
                throw try await context.forbidden(caller, "region", region.code, AccessDenied(code: "scope.read_only", region.code))
            }
        }
        let actor = caller.username, now = context.now()
        return try await context.audited(caller, .examCreate, "exam_figure",
                                         details: "\(figure.year) \(figure.level?.rawValue ?? ExamStore.allLevels)",
                                         object: { (_: Bool) in figure.region.value }) { tx in
            try await ExamStore(db: tx).save(figure, actor: actor, now: now)
        }
    }

    /// Imports the exam authority's pass list of `year`: each pass becomes the person's
    /// certificate, for people working where the caller may change (others are reported like
    /// people not on file); all rows or none. Audited with the file name and the certificates made.
    public func importPasses(reader: any SpreadsheetRowReader, fileName: String, year: Int, dryRun: Bool) async throws -> ExamPassImportReport {
        try await context.require(caller, Self.writers, "exam_passes")
        let scope = caller.scope, cipher = context.cipher, actor = caller.username, now = context.now()
        let box = ReaderBox(reader)
        return try await context.audited(caller, .examPassImport, "exam_passes", details: dryRun ? "dry run" : nil, once: true,
                                         object: { (r: ExamPassImportReport) in "\(r.fileName): \(r.certificatesCreated)" }) { tx in
            try await ExamPassImporter(db: tx, cipher: cipher).run(reader: box.reader, fileName: fileName, year: year, dryRun: dryRun,
                                                                   actor: actor, mayChange: { scope.mayWrite(region: $0) }, now: now)
        }
    }
}
