import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The census: the template, imports with their row-by-row report, exports (masked unless
/// revealed with permission), the national statistics, and the import and export commands.
struct CensusFeature: WebFeature {
    var endpoints: [Endpoint] { [.censusStats, .censusImport, .censusImportReport, .censusImportChanges, .censusExport, .censusTemplate] }
    var schemas: [String: JSONValue] { Endpoint.censusSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: CensusController())
        try app.register(collection: ImportPages())
        try app.register(collection: ExportPages())
        app.shegong.importUploads = ImportUploads(files: app.shegong.tempFiles, store: ImportUploadStore(db: app.db, writes: app.shegong.writeQueue, cipher: app.shegong.cipher))
        app.lifecycle.use(TempFilesSweeper())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        guard principal.role == .official else { return [] }
        return (principal.isReadWriteOfficial ? [.init(order: 40, key: "nav.import", path: "/import")] : [])
            + [.init(order: 50, key: "nav.export", path: "/export")]
    }

    var auditActions: [AuditAction] { [.censusImport, .censusExport] }
    var catalogue: [CatalogueEntry] { Catalogue.censusEntries + Catalogue.importPageEntries + Catalogue.importsEntries }

    var commands: [(name: String, command: any AnyAsyncCommand)] {
        [("import", ImportCommandGroup(base: ImportCommand.group)), ("export", ExportCommand.group)]
    }
}
