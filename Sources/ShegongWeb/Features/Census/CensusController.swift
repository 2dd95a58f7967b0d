import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Census statistics, import, export and the blank template.
struct CensusController: RouteCollection {
    struct StatsAnswer: Codable {
        var region: RegionsController.RegionDTO
        var summary: CensusSummary
    }
    struct ChangesAnswer: Codable {
        var items: [CensusImportChange]
        var total: Int
        var page: Int
        var perPage: Int
    }
    struct RejectedImport: Codable {
        var error: APIErrorBody.Payload
        var report: CensusImportReport
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.censusStats) { req in
            // Without ?region= an official sees their own region, never the nation's figures.
            let region = try await req.regionParameter()
            let summary = try await req.statisticsService.censusSummary(of: region, asOf: CivilDate.today())
            return try JSONResponse.make(StatsAnswer(region: .init(region), summary: summary))
        }

        // The file is the raw request body (CSV or XLSX; detected from its content), streamed to a
        // temporary file so that large uploads never sit in memory.
        routes.on(.censusImport, body: .stream) { req in
            let dryRun = req.queryString("dryRun").map { $0 == "true" || $0 == "1" } ?? false
            let fileName = req.queryString("fileName") ?? "upload"
            let limit = req.application.shegong.settings.maxUploadBytes
            if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
                throw Self.tooLarge(limit)
            }
            // A 0600 file of the server's temporary folder, deleted on every way out of this handler.
            let temp = try req.application.shegong.tempFiles.create("upload")
            defer { try? FileManager.default.removeItem(at: temp) }
            let handle = try FileHandle(forWritingTo: temp)
            var received = 0
            do {
                for try await chunk in req.body {
                    received += chunk.readableBytes
                    if received > limit { throw Self.tooLarge(limit) }
                    try handle.write(contentsOf: Data(buffer: chunk))
                }
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            let reader: any SpreadsheetRowReader
            do {
                reader = try Spreadsheet.openReader(url: temp)
            } catch let error as SpreadsheetError {
                throw APIError(status: .unprocessableEntity, code: error.code, message: error.message)
            }
            let format = Self.format(of: temp)
            let metrics = req.application.shegong.metrics
            let report = try await ShegongMetrics.timed({ metrics.censusImport(dryRun: dryRun, duration: $0) }) {
                try await req.census.importCensus(reader: reader, fileName: fileName, format: format, dryRun: dryRun)
            }
            if report.succeeded { return try JSONResponse.make(report) }
            let payload = APIErrorBody.Payload(
                code: "census.rejected",
                message: "有 \(report.rejectedRows) 行未通过校验，整个文件未导入。请按错误报告修改后重新上传。",
                details: report.issues.prefix(1_000).map(APIErrorBody.Detail.init))
            return try JSONResponse.make(RejectedImport(error: payload, report: report), status: .unprocessableEntity)
        }

        routes.on(.censusImportReport) { req in
            let id = try req.parameter("id")
            let issues = try await req.importIssues(id)
            let format = req.queryString("format") ?? "json"
            if format == "json" { return try JSONResponse.make(issues) }
            guard let sheet = SpreadsheetFormat(rawValue: format) else {
                throw APIError.badRequest("request.query", "format 须为 json、csv 或 xlsx", field: "format")
            }
            let url = Self.tempFile(req, sheet)
            try CensusExporter.writeReport(issues, to: url, format: sheet)
            return try await Self.download(req, url: url, fileName: "导入错误报告-\(id.prefix(8)).\(format)", format: sheet)
        }

        routes.on(.censusImportChanges) { req in
            let page = max(1, req.queryString("page").flatMap { Int($0) } ?? 1)
            let found = try await req.census.importChanges(try req.parameter("id"), page: page)
            return try JSONResponse.make(ChangesAnswer(items: found.items, total: found.total, page: page, perPage: CensusImporter.changesPageSize))
        }

        routes.on(.censusExport) { req in
            let region = try await req.scopedRegionFilter()
            return try await Self.export(req, region: region, format: try Self.sheetFormat(req), reveal: req.queryString("reveal") == "true")
        }

        routes.on(.censusTemplate) { req in
            let format = try Self.sheetFormat(req)
            let url = Self.tempFile(req, format)
            let language = req.queryString("lang").flatMap(Language.init(rawValue:)) ?? .zhHans
            try await req.census.template(to: url, format: format, language: language)
            return try await Self.download(req, url: url, fileName: "人才信息采集表.\(format.rawValue)", format: format)
        }
    }

    /// The census of `region` (nil: the whole scope) inside the principal's scope, masked unless
    /// `reveal` and the principal may export identifiers (read-write officials); audited.
    static func export(_ req: Request, region: Region?, format: SpreadsheetFormat, reveal: Bool) async throws -> Response {
        let url = Self.tempFile(req, format)
        let written = try await req.census.export(to: url, format: format, regionCode: region?.code, reveal: reveal)
        return try await Self.download(req, url: url, fileName: "人才信息-\(written.region?.name ?? "全部").\(format.rawValue)", format: format)
    }

    /// "xlsx" for a ZIP container, else "csv" (the reader detects the rest from the content).
    static func format(of url: URL) -> String {
        (try? Data(contentsOf: url, options: .alwaysMapped).prefix(4)) == Data([0x50, 0x4B, 0x03, 0x04]) ? "xlsx" : "csv"
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, code: "request.too_large", message: "文件超过 \(limit >> 20) MiB 的上传上限，请拆分后分批导入")
    }

    static func sheetFormat(_ req: Request) throws -> SpreadsheetFormat {
        let raw = req.queryString("format") ?? "xlsx"
        guard let format = SpreadsheetFormat(rawValue: raw) else {
            throw APIError.badRequest("request.query", "format 须为 xlsx 或 csv", field: "format")
        }
        return format
    }

    /// A name in the server's temporary folder for a generated download (`download` deletes it;
    /// one left behind by a failure is swept within the hour).
    static func tempFile(_ req: Request, _ format: SpreadsheetFormat) -> URL {
        req.application.shegong.tempFiles.url("download", extension: format.rawValue)
    }

    /// Streams a generated file as an attachment and deletes it afterwards.
    static func download(_ req: Request, url: URL, fileName: String, format: SpreadsheetFormat) async throws -> Response {
        let mediaType: HTTPMediaType = format == .csv
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let response = try await req.fileio.asyncStreamFile(at: url.path, mediaType: mediaType) { _ in
            try? FileManager.default.removeItem(at: url)
        }
        response.headers.replaceOrAdd(name: .contentDisposition, value: Attachment.disposition(fileName: fileName, fallback: "census.\(format.rawValue)"))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
