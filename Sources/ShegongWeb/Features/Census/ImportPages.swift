import Fluent
import Foundation
import MultipartKit
import ShegongServices
import ShegongDomain
import ShegongStore
import Vapor

/// Census files uploaded through the import wizard, for the account that uploaded each, with the
/// state of its (background) dry run or commit. Held in the database (`ImportUploadStore`,
/// docs/deployment.md): any server on it shows an upload and commits it, and a restart loses
/// nothing. The file is kept there in sealed parts; a server reading it keeps a 0600 copy in its
/// temporary folder (`TempFiles`), fetched again from the database by a server that has none.
/// Only how many rows a running import has read is this process's own (safe to lose: the page
/// then shows 0 until the import ends).
///
/// The file holds full ID and mobile numbers, so it lives only while a commit may still need it —
/// from the upload through a dry run without errors to the commit. A rejected dry run, an
/// unreadable file, a failure, a commit and a cancellation delete it (parts and copy) at once; an
/// upload left alone is forgotten `TempFiles.maxAge` after its last change, checked at each new
/// upload and by `TempFilesSweeper`; one still "running" after `abandonedAfter` lost its server
/// half-way and goes too. The clock is injected so that tests need not wait an hour.
actor ImportUploads {
    enum State: Sendable {
        case running(rows: Int, commit: Bool)
        case finished(CensusImportReport)
        /// The file could not be read (its message, in the page's language when shown), or nil
        /// for an unexpected failure, logged.
        case failed(CatalogueMessage?)

        /// Whether the uploaded file is still needed: being read, or waiting for its commit.
        var needsFile: Bool {
            switch self {
            case .running: return true
            case .finished(let report): return report.dryRun && report.succeeded
            case .failed: return false
            }
        }
    }

    struct Upload: Sendable {
        var owner: String
        var fileName: String
        var state: State
        /// The upload's last change (upload, end of the dry run, start and end of the commit).
        var touched: Date
    }

    /// A running import whose row was not changed for this long lost its server.
    static let abandonedAfter: TimeInterval = 6 * TempFiles.maxAge

    let files: TempFiles
    let store: ImportUploadStore
    private var now: @Sendable () -> Date
    /// This server's copies of upload files, by token.
    private var copies: [String: URL] = [:]
    /// Rows read so far by the imports this server runs.
    private var rowsRead: [String: Int] = [:]

    init(files: TempFiles, store: ImportUploadStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.files = files
        self.store = store
        self.now = now
    }

    /// Tests move time forward with their own clock.
    func useClock(_ now: @escaping @Sendable () -> Date) { self.now = now }

    /// Registers a new upload (its dry run starting) with the file at `url` (which becomes this
    /// server's copy), after sweeping out the expired ones.
    func add(owner: String, url: URL, fileName: String) async throws -> String {
        await sweep(keeping: url)
        let token = UUID().uuidString.lowercased()
        do {
            try await store.insert(token: token, owner: owner, fileName: fileName, file: url, now: now())
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        copies[token] = url
        return token
    }

    /// The upload, only for the account that made it.
    func upload(_ token: String, owner: String) async throws -> Upload? {
        guard let stored = try await store.find(token), stored.owner == owner else { return nil }
        let state: State
        switch stored.state {
        case "running": state = .running(rows: rowsRead[token] ?? 0, commit: stored.committing)
        case "finished":
            guard let report = stored.report else { return nil }
            state = .finished(report)
        default: state = .failed(stored.message)
        }
        return Upload(owner: stored.owner, fileName: stored.fileName, state: state, touched: stored.touched)
    }

    /// The owner's uploads whose dry run passed and that wait for their commit (the home page's
    /// to-dos), oldest first; one past `TempFiles.maxAge` is as good as gone and not listed.
    func awaitingCommit(owner: String) async throws -> [(token: String, fileName: String)] {
        try await store.finished(owner: owner, since: now().addingTimeInterval(-TempFiles.maxAge)).compactMap { upload in
            guard let report = upload.report, report.dryRun, report.succeeded else { return nil }
            return (upload.token, upload.fileName)
        }
    }

    func set(_ token: String, _ state: State) async throws {
        let dropFile = !state.needsFile
        if case .running = state {} else { rowsRead[token] = nil }
        switch state {
        case .running(_, let commit):
            try await store.update(token, state: "running", committing: commit, report: nil, message: nil, dropFile: false, now: now())
        case .finished(let report):
            try await store.update(token, state: "finished", committing: false, report: report, message: nil, dropFile: dropFile, now: now())
        case .failed(let message):
            try await store.update(token, state: "failed", committing: false, report: nil, message: message, dropFile: true, now: now())
        }
        if dropFile { dropCopy(token) }
    }

    /// Starts the commit of a checked upload, once across every server (false: not waiting for
    /// its commit, or another request started it first).
    func claimCommit(_ token: String) async throws -> Bool {
        try await store.claimCommit(token, now: now())
    }

    /// The owner gives up an upload that has not started its commit: its file and entry go.
    func cancel(_ token: String, owner: String) async throws -> Bool {
        guard let upload = try await upload(token, owner: owner) else { return false }
        if case .running(_, true) = upload.state { return false }
        try await store.delete(token)
        dropCopy(token)
        return true
    }

    func progress(_ token: String, rows: Int) {
        if rows > rowsRead[token] ?? 0 { rowsRead[token] = rows }
    }

    /// The upload's file on this server: its copy, or a new one written from the database (an
    /// upload made through another server, or before a restart).
    func file(_ token: String) async throws -> URL {
        if let url = copies[token], FileManager.default.fileExists(atPath: url.path) { return url }
        let url = try files.create("import")
        do {
            guard try await store.writeFile(token, to: url) else { throw StoreError.notFound(.upload) }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        copies[token] = url
        return url
    }

    private func dropCopy(_ token: String) {
        if let url = copies.removeValue(forKey: token) { try? FileManager.default.removeItem(at: url) }
    }

    /// Forgets uploads unchanged for `TempFiles.maxAge` (deleting their parts and copies) unless
    /// still being read, then sweeps the folder of files no upload refers to (a download cut off,
    /// an export that failed half-way, a copy from before a restart).
    func sweep(keeping received: URL? = nil) async {
        let now = now()
        if let expired = try? await store.expired(before: now.addingTimeInterval(-TempFiles.maxAge),
                                                  runningBefore: now.addingTimeInterval(-Self.abandonedAfter)) {
            for token in expired where (try? await store.delete(token)) != nil { dropCopy(token) }
        }
        // A copy this server made of an upload another server has since committed, cancelled or
        // swept: no longer needed here either.
        for token in Array(copies.keys) {
            let stored: StoredImportUpload?
            do { stored = try await store.find(token) } catch { continue }
            let needed = stored.map { $0.state == "running" || ($0.state == "finished" && $0.report.map { $0.dryRun && $0.succeeded } == true) }
            if needed != true { dropCopy(token) }
        }
        files.sweep(now: now, keeping: Set((copies.values.map(\.lastPathComponent)) + [received?.lastPathComponent].compactMap { $0 }))
    }
}

extension ShegongServices {
    struct ImportUploadsKey: StorageKey { typealias Value = ImportUploads }

    var importUploads: ImportUploads {
        get { app.storage[ImportUploadsKey.self]! }
        nonmutating set { app.storage[ImportUploadsKey.self] = newValue }
    }
}

/// The import wizard (issue #3 §6): upload → dry run in the background with a self-refreshing
/// progress page → the report with counts and row errors, downloadable as CSV/XLSX → commit of
/// the kept file, again in the background. Rows outside the user's scope are row errors.
struct ImportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "import", allow: PeoplePages.mayWrite) { req, ctx in
            ImportView.page(ctx, ImportView.form(ctx, error: nil))
        }
        routes.page(.POST, "import", body: .stream, allow: PeoplePages.mayWrite) { req, ctx in
            let received: (url: URL, fileName: String)
            do {
                received = try await Self.receive(req)
            } catch let error as UploadProblem {
                return ImportView.page(ctx, ImportView.form(ctx, error: ctx.t(error.key)), status: .unprocessableEntity)
            }
            let token = try await req.application.shegong.importUploads.add(owner: ctx.principal.userID, url: received.url, fileName: received.fileName)
            try await Self.start(req, token: token, url: received.url, fileName: received.fileName, dryRun: true)
            return req.redirect(onSite: "/import/\(token)", redirectType: .normal)
        }
        routes.page(.GET, "import", ":token", allow: PeoplePages.mayWrite) { req, ctx in
            var status = try await ImportStatus.load(req, ctx)
            if case .finished(let report) = status.upload.state, report.dryRun, report.succeeded {
                status.changes = try await ImportChangesModel.load(req, report)
            }
            return ImportView.status(ctx, status)
        }
        routes.page(.POST, "import", ":token", "commit", allow: PeoplePages.mayWrite) { req, ctx in
            let status = try await ImportStatus.load(req, ctx)
            guard case .finished(let report) = status.upload.state, report.dryRun, report.succeeded else {
                return req.redirect(onSite: "/import/\(status.token)", redirectType: .normal)
            }
            // Any server commits it: the file comes from the database when this one has no copy.
            let uploads = req.application.shegong.importUploads
            guard try await uploads.claimCommit(status.token) else {
                return req.redirect(onSite: "/import/\(status.token)", redirectType: .normal)
            }
            let url: URL
            do {
                url = try await uploads.file(status.token)
            } catch {
                try await uploads.set(status.token, .failed(nil))
                throw error
            }
            try await Self.start(req, token: status.token, url: url, fileName: status.upload.fileName, dryRun: false)
            return req.redirect(onSite: "/import/\(status.token)", redirectType: .normal)
        }
        routes.page(.POST, "import", ":token", "cancel", allow: PeoplePages.mayWrite) { req, ctx in
            guard try await req.application.shegong.importUploads.cancel(try req.parameter("token"), owner: ctx.principal.userID) else {
                throw StoreError.notFound(.upload)
            }
            return req.redirect(to: "/import", redirectType: .normal)
        }
        routes.page(.GET, "import", "reports", ":id", allow: PeoplePages.mayWrite) { req, ctx in
            let id = try req.parameter("id")
            let issues = try await req.importIssues(id)
            let format = try CensusController.sheetFormat(req)
            let url = CensusController.tempFile(req, format)
            try CensusExporter.writeReport(issues, to: url, format: format, language: ctx.language)
            return try await CensusController.download(req, url: url, fileName: "导入错误报告-\(id.prefix(8)).\(format.rawValue)", format: format)
        }
    }

    struct UploadProblem: Error { var key: String }

    /// Streams the multipart body's `file` part to a 0600 file of the server's temporary folder,
    /// within the upload limit; deleted again when the upload is refused.
    static func receive(_ req: Request) async throws -> (url: URL, fileName: String) {
        guard let boundary = req.headers.contentType?.parameters["boundary"], GuardedMultipartParser.isUsable(boundary: boundary) else {
            throw UploadProblem(key: "registry.import.no_file")
        }
        let limit = req.application.shegong.settings.maxUploadBytes
        let url = try req.application.shegong.tempFiles.create("import")
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: url) } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        defer { try? handle.close() }
        let parser = GuardedMultipartParser(boundary: boundary)  // MultipartKit's crashes removed
        var inFilePart = false, fileName: String?, written = 0, writeError: (any Error)?
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            let part = ReportSubmission.formPart(value)
            guard part.name == "file" else { return }
            inFilePart = true
            fileName = part.fileName
        }
        parser.onBody = { buffer in
            guard inFilePart, writeError == nil else { return }
            written += buffer.readableBytes
            do { try handle.write(contentsOf: Data(buffer.readableBytesView)) } catch { writeError = error }
        }
        parser.onPartComplete = { inFilePart = false }
        do {
            var received = 0
            for try await chunk in req.body {
                received += chunk.readableBytes
                if received > limit { throw CensusController.tooLarge(limit) }
                try parser.execute(chunk)
            }
            if let writeError { throw writeError }
            guard written > 0 else { throw UploadProblem(key: "registry.import.no_file") }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        return (url, fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "upload")
    }

    /// Runs the dry run or the commit in the background; the status page follows it. If it cannot
    /// even start, the upload fails (and its file goes) before the error is shown.
    static func start(_ req: Request, token: String, url: URL, fileName: String, dryRun: Bool) async throws {
        let uploads = req.application.shegong.importUploads
        var configured: CensusImporter
        let census: CensusService
        do {
            census = CensusService(context: req.backgroundServices, caller: try req.caller)
            configured = try census.importer()
        } catch {
            try? await uploads.set(token, .failed(nil))
            throw error
        }
        configured.progress = { rows in Task { await uploads.progress(token, rows: rows) } }
        let importer = configured
        let format = CensusController.format(of: url), logger = req.logger
        let metrics = req.application.shegong.metrics
        // Tracked, so that shutdown waits for it before the database closes (BackgroundJobs).
        await req.application.shegong.backgroundJobs.start {
            let outcome: ImportUploads.State
            do {
                let reader = try Spreadsheet.openReader(url: url)
                outcome = .finished(try await ShegongMetrics.timed({ metrics.censusImport(dryRun: dryRun, duration: $0) }) {
                    try await census.run(importer, reader: reader, fileName: fileName, format: format, dryRun: dryRun)
                })
            } catch let error as SpreadsheetError {
                outcome = .failed(error.text)
            } catch {
                logger.report(error: error)
                outcome = .failed(nil)
            }
            do { try await uploads.set(token, outcome) } catch { logger.report(error: error) }
        }
    }

}

/// An upload of the signed-in account, as its status page shows it.
struct ImportStatus {
    var token: String
    var upload: ImportUploads.Upload
    /// A dry run's page of changes (a dry run without errors).
    var changes: ImportChangesModel?

    /// The upload `:token` names, only for the account that made it (others: 404).
    static func load(_ req: Request, _ ctx: PageContext) async throws -> ImportStatus {
        let token = try req.parameter("token")
        guard let upload = try await req.application.shegong.importUploads.upload(token, owner: ctx.principal.userID) else {
            throw StoreError.notFound(.upload)
        }
        return ImportStatus(token: token, upload: upload)
    }
}

/// The import wizard's pages; render only.
enum ImportView {
    static func page(_ ctx: PageContext, _ content: Node, status: HTTPResponseStatus = .ok, refresh: Int? = nil) -> Response {
        WebPage.render(ctx, title: ctx.t("census.import.title"), active: "/import", content: content, status: status, refresh: refresh)
    }

    /// The upload form. The body is streamed to a file before any form field could be read, so
    /// the CSRF token travels in the query (`CSRF` accepts it there for multipart uploads).
    static func form(_ ctx: PageContext, error: String?) -> Node {
        let t = ctx.t
        let token = ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .group(.notice(t("census.import.intro")),
                      .form(.id("import-form"), .method("post"), .action("/import?\(CSRF.field)=\(token)"), .enctype("multipart/form-data"),
                            .class("form"),
                            Field.input(t("census.import.file"), name: "file", type: "file", error: error, required: true, .accept(".xlsx,.csv")),
                            .div(.class("actions"), .button(.type("submit"), .text(t("census.import.dry_run"))), " ",
                                 .link("/api/v1/templates/census?format=xlsx&lang=\(ctx.language.rawValue)", t("census.import.template")))))
    }

    /// Where the upload stands: running (the page refreshes itself), failed, or finished.
    static func status(_ ctx: PageContext, _ status: ImportStatus) -> Response {
        let t = ctx.t
        switch status.upload.state {
        case .running(let rows, _):
            return page(ctx, .group(.notice(t("registry.import.running")), .p(.text(t("census.import.progress", String(rows))))), refresh: 2)
        case .failed(let message):
            return page(ctx, .group(.notice(message?.text(ctx.language) ?? t("registry.import.failed"), .error), form(ctx, error: nil)))
        case .finished(let report):
            let summary = t("census.import.summary", String(report.rows), String(report.created), String(report.updated),
                            String(report.unchanged), String(report.rejectedRows))
            return page(ctx, .group(.p(.text(status.upload.fileName)), .p(.text(summary)), outcome(ctx, token: status.token, report, changes: status.changes)))
        }
    }

    /// Committed; checked without errors (commit or discard); or rejected with its issues.
    static func outcome(_ ctx: PageContext, token: String, _ report: CensusImportReport, changes: ImportChangesModel? = nil) -> Node {
        let t = ctx.t
        if report.committed {
            return .notice(t("census.import.committed", String(report.created + report.updated + report.unchanged)), .ok)
        }
        guard report.succeeded else { return rejected(ctx, report) }
        return .group(.notice(t("registry.import.dry_run_ok"), .ok),
                      .unwrap(changes) { ImportChangesView.node(ctx, $0) },
                      .form(.id("import-commit"), .method("post"), .action("/import/\(token)/commit"), ctx.csrfInput,
                            .button(.type("submit"), .text(t("census.import.commit")))),
                      .form(.id("import-cancel"), .method("post"), .action("/import/\(token)/cancel"), ctx.csrfInput,
                            .button(.type("submit"), .class("secondary"), .text(t("file.import.cancel")))),
                      .notice(t("file.import.kept", String(Int(TempFiles.maxAge / 60)))))
    }

    /// The rejected rows (the first 200; the downloadable report has them all) and the form again.
    static func rejected(_ ctx: PageContext, _ report: CensusImportReport) -> Node {
        let t = ctx.t
        let reports = "/import/reports/\(report.importID)"
        let links = [("report-csv", SpreadsheetFormat.csv), ("report-xlsx", .xlsx)].map { id, format in
            Node.a(.id(id), .href("\(reports)?format=\(format.rawValue)"), .text(t("import.error_report", format.rawValue.uppercased())))
        }
        let issues = DataTable(id: "import-issues",
                               columns: ["registry.issue.row", "registry.issue.column", "registry.issue.value", "registry.issue.message"].map { .init(t($0)) },
                               rows: report.issues.prefix(200).map { issue in
                                   [.text(String(issue.row)), .text(columnName(issue.column, t)), .text(issue.value ?? ""),
                                    .text(issue.message(ctx.language))]
                               },
                               empty: t("list.empty"))
        return .group(.notice(t("census.import.rejected", String(report.rejectedRows)), .error), .p(.joined(links, separator: " ")),
                      issues.node(), form(ctx, error: nil))
    }

    /// A template column by its name in the page's language; a column the template does not know
    /// (the file's own header) as the file wrote it.
    static func columnName(_ header: String?, _ t: LocalizedTexts) -> String {
        guard let header else { return "" }
        return CensusColumn(rawValue: header).map { t.name($0) } ?? header
    }
}

/// The census export (issue #3 §6): a region inside the scope (blank: all of it), chosen with the
/// region picker (docs/ui.md), CSV or XLSX, masked; full identifiers only for read-write officials.
/// The download is audited; the picker's own button (`region_go`) or a search with several matches
/// shows the form again instead.
struct ExportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "export", allow: OrganizationPages.mayRead) { req, ctx in
            let pick = try await req.regionPick("region")
            var form = ExportForm(ctx.principal)
            form.picker = try await req.regionPicker("region", label: ctx.t("field.region"), selected: pick.code, search: pick.search)
            return ExportView.page(ctx, form)
        }
        routes.page(.POST, "export", allow: OrganizationPages.mayRead) { req, ctx in
            let values = try req.content.decode([String: String].self)
            let pick = try await RegionPick.read("region", value: { values[$0] }, regions: try req.regionService)
            var form = ExportForm(ctx.principal, values: values)
            let region: Region?
            do {
                region = try await req.scopedRegion(code: pick.code)
            } catch let error as StoreError where error.kind == .notFound {
                // What was typed comes back in the search box, beside the message.
                form.picker = try await req.regionPicker("region", label: ctx.t("field.region"), selected: nil,
                                                         search: pick.search ?? pick.code, error: error.message(ctx.language))
                return ExportView.page(ctx, form, status: .unprocessableEntity)
            }
            if pick.moveOnly || pick.search != nil {
                form.picker = try await req.regionPicker("region", label: ctx.t("field.region"), selected: region?.code, search: pick.search)
                return ExportView.page(ctx, form)
            }
            let format = SpreadsheetFormat(rawValue: values["format"] ?? "") ?? .xlsx
            return try await CensusController.export(req, region: region, format: format, reveal: values["reveal"] == "true")
        }
    }
}

/// The export form's values: as sent (after an error or a step of the picker), the region picker
/// at the region chosen so far.
struct ExportForm {
    var format: String?
    var reveal = false
    /// Whether the caller may ask for full identifiers (read-write officials).
    var mayReveal: Bool
    var picker: RegionPicker?

    init(_ principal: Principal, values: [String: String]? = nil) {
        format = values?["format"]
        reveal = values?["reveal"] == "true"
        mayReveal = principal.scope.mayExportIdentifiers
    }
}

/// The export page; renders only.
enum ExportView {
    static func page(_ ctx: PageContext, _ form: ExportForm, status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        let content = Node.group(
            .notice(t("census.export.intro")),
            .form(.id("export-form"), .method("post"), .action("/export"), .class("form"), ctx.csrfInput,
                  .unwrap(form.picker) { $0.node(ctx) },
                  Field.select(t("census.export.format"), name: "format", options: [("xlsx", "XLSX"), ("csv", "CSV")], selected: form.format),
                  .if(form.mayReveal, Field.checkbox(t("registry.export.reveal"), name: "reveal", value: "true", checked: form.reveal)),
                  .div(.class("actions"), .button(.type("submit"), .text(t("action.download"))))))
        return WebPage.render(ctx, title: t("census.export.title"), content: content, status: status)
    }
}

/// One page of a dry run's changes, with the names of the regions they mention.
struct ImportChangesModel {
    var report: CensusImportReport
    var items: [CensusImportChange]
    var total: Int
    var page: Int
    var regionNames: [String: String]

    static func load(_ req: Request, _ report: CensusImportReport) async throws -> ImportChangesModel {
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let found = try await req.census.importChanges(report.importID, page: page)
        let codes = found.items.flatMap { $0.fields.filter { $0.field == "region_code" }.flatMap { [$0.before, $0.after].compactMap { $0 } } }
        return ImportChangesModel(report: report, items: found.items, total: found.total, page: page,
                                  regionNames: try await req.regionService.names(of: codes))
    }
}

/// The dry run's list: per person, created or changed, each field "before → after" by its name.
enum ImportChangesView {
    static func node(_ ctx: PageContext, _ model: ImportChangesModel) -> Node {
        let t = ctx.t
        func value(_ raw: String?, _ field: String) -> String {
            guard let raw, !raw.isEmpty else { return t("imports.changes.none") }
            return PersonHistoryText.value(raw, field: field, t, regions: model.regionNames, employers: [:])
        }
        let rows = model.items.map { change -> [Node] in
            let fields = change.fields.map { field -> Node in
                let name = PersonHistoryText.field(field.field, t)
                let text = change.kind == .created
                    ? t("imports.changes.field", name, value(field.after, field.field))
                    : t("imports.changes.field_change", name, value(field.before, field.field), value(field.after, field.field))
                return .div(.text(text))
            }
            return [.text(String(change.row)), .text(change.name), .text(change.idNumber),
                    .text(t(change.kind == .created ? "imports.changes.created" : "imports.changes.updated")), .group(fields)]
        }
        let table = DataTable(id: "import-changes",
                              columns: ["imports.changes.row", "imports.changes.person", "imports.changes.id", "imports.changes.kind",
                                        "imports.changes.fields"].map { .init(t($0)) },
                              rows: rows, empty: t("list.empty"))
        return .group(.h2(.text(t("imports.changes.title"))),
                      .p(.text(t("imports.changes.intro", String(model.report.created), String(model.report.updated)))),
                      .if(model.report.changesTruncated, .notice(t("imports.changes.truncated", String(CensusImporter.maximumChanges)))),
                      table.node(),
                      Pager.node(ctx, page: model.page, perPage: CensusImporter.changesPageSize, total: model.total))
    }
}
