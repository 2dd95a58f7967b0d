import Fluent
import Foundation
import MultipartKit
import ShegongDomain
import ShegongStore
import Vapor

/// Census files uploaded through the import wizard: each kept in a 0600 file of the server's
/// temporary folder (`TempFiles`) for the account that uploaded it, with the state of its
/// (background) dry run or commit. In memory: a restart forgets them, and the user uploads again.
///
/// The file holds full ID and mobile numbers in clear, so it lives only while a commit may still
/// need it — from the upload through a dry run without errors to the commit. A rejected dry run,
/// an unreadable file, a failure, a commit and a cancellation delete it at once; an upload left
/// alone is forgotten (file and entry) `TempFiles.maxAge` after its last change, checked at each
/// new upload and by `TempFilesSweeper`. The clock is injected so that tests need not wait an hour.
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
        var url: URL
        var fileName: String
        var state: State
        /// The upload's last change (upload, end of the dry run, start and end of the commit).
        var touched: Date
    }

    let files: TempFiles
    private var now: @Sendable () -> Date
    private var uploads: [String: Upload] = [:]

    init(files: TempFiles, now: @escaping @Sendable () -> Date = { Date() }) {
        self.files = files
        self.now = now
    }

    /// Tests move time forward with their own clock.
    func useClock(_ now: @escaping @Sendable () -> Date) { self.now = now }

    /// Registers a new upload (its dry run starting) after sweeping out the expired ones.
    func add(owner: String, url: URL, fileName: String) -> String {
        sweep()
        let token = UUID().uuidString.lowercased()
        uploads[token] = Upload(owner: owner, url: url, fileName: fileName, state: .running(rows: 0, commit: false), touched: now())
        return token
    }

    /// The upload, only for the account that made it.
    func upload(_ token: String, owner: String) -> Upload? {
        uploads[token].flatMap { $0.owner == owner ? $0 : nil }
    }

    func set(_ token: String, _ state: State) {
        guard var upload = uploads[token] else { return }
        upload.state = state
        upload.touched = now()
        uploads[token] = upload
        if !state.needsFile { try? FileManager.default.removeItem(at: upload.url) }
    }

    /// The owner gives up an upload that has not started its commit: its file and entry go.
    func cancel(_ token: String, owner: String) -> Bool {
        guard let upload = upload(token, owner: owner) else { return false }
        if case .running(_, true) = upload.state { return false }
        uploads[token] = nil
        try? FileManager.default.removeItem(at: upload.url)
        return true
    }

    func progress(_ token: String, rows: Int) {
        if case .running(let seen, let commit) = uploads[token]?.state, rows > seen { uploads[token]?.state = .running(rows: rows, commit: commit) }
    }

    /// Forgets uploads unchanged for `TempFiles.maxAge` (deleting their files) unless still being
    /// read, then sweeps the folder of files no upload refers to (a download cut off, an export
    /// that failed half-way, an upload from before a restart).
    func sweep() {
        let now = now()
        for (token, upload) in uploads where now.timeIntervalSince(upload.touched) > TempFiles.maxAge {
            if case .running = upload.state { continue }
            uploads[token] = nil
            try? FileManager.default.removeItem(at: upload.url)
        }
        files.sweep(now: now, keeping: Set(uploads.values.map(\.url.lastPathComponent)))
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
            WebPage.render(ctx, title: ctx.t("census.import.title"), content: Self.form(ctx, error: nil))
        }
        routes.page(.POST, "import", body: .stream, allow: PeoplePages.mayWrite) { req, ctx in
            let received: (url: URL, fileName: String)
            do {
                received = try await Self.receive(req)
            } catch let error as UploadProblem {
                return WebPage.render(ctx, title: ctx.t("census.import.title"), content: Self.form(ctx, error: ctx.t(error.key)), status: .unprocessableEntity)
            }
            let token = await req.application.shegong.importUploads.add(owner: ctx.principal.userID, url: received.url, fileName: received.fileName)
            try await Self.start(req, token: token, url: received.url, fileName: received.fileName, dryRun: true)
            return req.redirect(onSite: "/import/\(token)", redirectType: .normal)
        }
        routes.page(.GET, "import", ":token", allow: PeoplePages.mayWrite) { req, ctx in
            let upload = try await Self.upload(req, ctx)
            return Self.statusPage(ctx, token: try req.parameter("token"), upload: upload)
        }
        routes.page(.POST, "import", ":token", "commit", allow: PeoplePages.mayWrite) { req, ctx in
            let token = try req.parameter("token")
            let upload = try await Self.upload(req, ctx)
            guard case .finished(let report) = upload.state, report.dryRun, report.succeeded else {
                return req.redirect(onSite: "/import/\(token)", redirectType: .normal)
            }
            await req.application.shegong.importUploads.set(token, .running(rows: 0, commit: true))
            try await Self.start(req, token: token, url: upload.url, fileName: upload.fileName, dryRun: false)
            return req.redirect(onSite: "/import/\(token)", redirectType: .normal)
        }
        routes.page(.POST, "import", ":token", "cancel", allow: PeoplePages.mayWrite) { req, ctx in
            guard await req.application.shegong.importUploads.cancel(try req.parameter("token"), owner: ctx.principal.userID) else {
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

    static func form(_ ctx: PageContext, error: String?) -> String {
        let t = ctx.t
        let token = ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return HTML.notice(t("census.import.intro"))
            + #"<form id="import-form" method="post" action="/import?\#(CSRF.field)=\#(token)" enctype="multipart/form-data" class="form">"#
            + Form.field(t("census.import.file"), name: "file", type: "file", error: error, required: true, attributes: #"accept=".xlsx,.csv""#)
            + #"<div class="actions"><button type="submit">\#(HTML.escape(t("census.import.dry_run")))</button> "#
            + #"<a href="/api/v1/templates/census?format=xlsx">\#(HTML.escape(t("census.import.template")))</a></div></form>"#
    }

    struct UploadProblem: Error { var key: String }

    /// Streams the multipart body's `file` part to a 0600 file of the server's temporary folder,
    /// within the upload limit; deleted again when the upload is refused.
    static func receive(_ req: Request) async throws -> (url: URL, fileName: String) {
        guard let boundary = req.headers.contentType?.parameters["boundary"] else { throw UploadProblem(key: "registry.import.no_file") }
        let limit = req.application.shegong.settings.maxUploadBytes
        let url = try req.application.shegong.tempFiles.create("import")
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: url) } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        defer { try? handle.close() }
        let parser = MultipartParser(boundary: boundary)
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
        do {
            configured = try req.censusImporter(on: req.application.db)
        } catch {
            await uploads.set(token, .failed(nil))
            throw error
        }
        configured.progress = { rows in Task { await uploads.progress(token, rows: rows) } }
        let importer = configured
        let actor = req.actorName, format = CensusController.format(of: url), logger = req.logger
        Task {
            do {
                let reader = try Spreadsheet.openReader(url: url)
                let report = try await importer.run(reader: reader, fileName: fileName, format: format, dryRun: dryRun, actor: actor)
                await uploads.set(token, .finished(report))
            } catch let error as SpreadsheetError {
                await uploads.set(token, .failed(error.text))
            } catch {
                logger.report(error: error)
                await uploads.set(token, .failed(nil))
            }
        }
    }

    static func upload(_ req: Request, _ ctx: PageContext) async throws -> ImportUploads.Upload {
        guard let upload = await req.application.shegong.importUploads.upload(try req.parameter("token"), owner: ctx.principal.userID) else {
            throw StoreError.notFound(.upload)
        }
        return upload
    }

    static func statusPage(_ ctx: PageContext, token: String, upload: ImportUploads.Upload) -> Response {
        let t = ctx.t
        let title = t("census.import.title")
        switch upload.state {
        case .running(let rows, _):
            return WebPage.render(ctx, title: title, active: "/import",
                                  content: HTML.notice(t("registry.import.running")) + "<p>\(HTML.escape(t("census.import.progress", String(rows))))</p>",
                                  refresh: 2)
        case .failed(let message):
            return WebPage.render(ctx, title: title, active: "/import",
                                  content: HTML.notice(message?.text(ctx.language) ?? t("registry.import.failed"), kind: "error") + form(ctx, error: nil))
        case .finished(let report):
            var html = "<p>\(HTML.escape(upload.fileName))</p><p>" + HTML.escape(t("census.import.summary", String(report.rows), String(report.created),
                                                                                  String(report.updated), String(report.unchanged), String(report.rejectedRows))) + "</p>"
            if report.committed {
                html += HTML.notice(t("census.import.committed", String(report.created + report.updated + report.unchanged)), kind: "ok")
            } else if report.succeeded {
                html += HTML.notice(t("registry.import.dry_run_ok"), kind: "ok")
                    + #"<form id="import-commit" method="post" action="/import/\#(token)/commit">\#(ctx.csrfField)<button type="submit">\#(HTML.escape(t("census.import.commit")))</button></form>"#
                    + #"<form id="import-cancel" method="post" action="/import/\#(token)/cancel">\#(ctx.csrfField)<button type="submit" class="secondary">\#(HTML.escape(t("file.import.cancel")))</button></form>"#
                    + HTML.notice(t("file.import.kept", String(Int(TempFiles.maxAge / 60))))
            } else {
                let reports = "/import/reports/\(report.importID)"
                html += HTML.notice(t("census.import.rejected", String(report.rejectedRows)), kind: "error")
                    + #"<p><a id="report-csv" href="\#(reports)?format=csv">\#(HTML.escape(t("census.import.error_report")))（CSV）</a> "#
                    + #"<a id="report-xlsx" href="\#(reports)?format=xlsx">\#(HTML.escape(t("census.import.error_report")))（XLSX）</a></p>"#
                    + PeoplePages.table(t, id: "import-issues", headers: ["registry.issue.row", "registry.issue.column", "registry.issue.value", "registry.issue.message"],
                                        rows: report.issues.prefix(200).map { [String($0.row), $0.column ?? "", $0.value ?? "", $0.message(ctx.language)] })
                    + form(ctx, error: nil)
            }
            return WebPage.render(ctx, title: title, active: "/import", content: html)
        }
    }
}

/// The census export (issue #3 §6): a region inside the scope (blank: all of it), CSV or XLSX,
/// masked; full identifiers only for read-write officials. The download is audited.
struct ExportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "export", allow: OrganizationPages.mayRead) { req, ctx in
            WebPage.render(ctx, title: ctx.t("census.export.title"), content: Self.form(ctx, values: [:], error: nil))
        }
        routes.page(.POST, "export", allow: OrganizationPages.mayRead) { req, ctx in
            let values = try req.content.decode([String: String].self)
            let region: Region?
            do {
                region = try await req.scopedRegion(code: values["region"])
            } catch let error as StoreError where error.kind == .notFound {
                return WebPage.render(ctx, title: ctx.t("census.export.title"), content: Self.form(ctx, values: values, error: error.message(ctx.language)),
                                      status: .unprocessableEntity)
            }
            let format = SpreadsheetFormat(rawValue: values["format"] ?? "") ?? .xlsx
            return try await CensusController.export(req, region: region, format: format, reveal: values["reveal"] == "true")
        }
    }

    static func form(_ ctx: PageContext, values: [String: String], error: String?) -> String {
        let t = ctx.t
        var html = HTML.notice(t("census.export.intro"))
            + #"<form id="export-form" method="post" action="/export" class="form">\#(ctx.csrfField)"#
            + Form.field(t("field.region"), name: "region", value: values["region"] ?? ctx.principal.scope.regionSubtree?.code, error: error,
                         hint: t("registry.export.region_hint"))
            + Form.select(t("census.export.format"), name: "format", options: [("xlsx", "XLSX"), ("csv", "CSV")], selected: values["format"])
        if ctx.principal.scope.mayExportIdentifiers {
            html += #"<div class="field"><label><input type="checkbox" name="reveal" value="true"> \#(HTML.escape(t("registry.export.reveal")))</label></div>"#
        }
        return html + #"<div class="actions"><button type="submit">\#(HTML.escape(t("action.download")))</button></div></form>"#
    }
}
