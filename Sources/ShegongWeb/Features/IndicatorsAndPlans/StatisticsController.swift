import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region statistics (the indicators' denominators): read, edit with history, import.
struct StatisticsController: RouteCollection {
    struct Answer: Codable {
        var region: RegionRef
        var year: Int
        var entries: [RegionStatisticEntry]
        /// Statistics not entered for this region and year.
        var missing: [String]
        var history: [RegionStatisticChange]
    }
    struct Update: Codable {
        /// statistic id (or Chinese name) → value; null removes the figure.
        var values: [String: Int?]
        /// The department entering the figures (recorded in the history).
        var department: String?
    }
    struct Saved: Codable {
        var write: RegionStatisticWrite
        var statistics: Answer
    }
    struct RejectedImport: Codable {
        var error: APIErrorBody.Payload
        var report: RegionStatisticImportReport
    }

    /// The region (`?region=`, or the path's `:code` for the page) in scope, and the year asked.
    static func regionAndYear(_ req: Request, pathCode: String? = nil) async throws -> (Region, Int) {
        let region: Region
        if let pathCode { region = try await req.scopedRegion(code: pathCode, field: "code") } else { region = try await req.regionParameter() }
        let year = try req.queryInt("year", default: CivilDate.today().year)
        if let problem = RegionStatisticStore.problem(year: year) { throw APIError.badRequest("statistics.year.invalid", problem.chinese, field: "year") }
        return (region, year)
    }

    static func answer(_ req: Request, region: Region, year: Int) async throws -> Answer {
        let (entries, history) = try await req.statisticsService.entries(of: region, year: year)
        let present = Set(entries.map(\.statistic))
        return Answer(region: RegionRef(region), year: year, entries: entries,
                      missing: RegionStatistic.allCases.map(\.rawValue).filter { !present.contains($0) }, history: history)
    }

    static func openReader(_ file: URL) throws -> any SpreadsheetRowReader {
        do {
            return try Spreadsheet.openReader(url: file, preferredSheet: nil)
        } catch let error as SpreadsheetError {
            throw APIError(status: .unprocessableEntity, code: error.code, message: error.message)
        }
    }

    /// Saves a region's figures for a year, for the API and the page alike (`StatisticsService.save`).
    /// Statistics outside a department operator's field: 403 naming each one.
    static func save(_ req: Request, region: Region, year: Int, values: [RegionStatistic: Int?], department: String?) async throws -> RegionStatisticWrite {
        do {
            return try await req.statisticsService.save(region: region, year: year, values: values, department: department,
                                                        source: req.url.path.hasPrefix("/api") ? "api" : "web")
        } catch let refused as StatisticsOutOfField {
            let text = refused.denial.text
            throw APIError(status: .forbidden, code: refused.denial.code, message: text.chinese,
                           details: refused.statistics.map { .init(field: "values.\($0.rawValue)", code: "statistics.statistic.out_of_field",
                                                                   text: CatalogueMessage("statistics.statistic.out_of_field.item", $0.chineseName)) },
                           text: text)
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.statistics) { req in
            let (region, year) = try await Self.regionAndYear(req)
            return try JSONResponse.make(try await Self.answer(req, region: region, year: year))
        }
        routes.on(.statisticsUpdate) { req in
            let (region, year) = try await Self.regionAndYear(req)
            let input = try req.content.decode(Update.self)
            var values: [RegionStatistic: Int?] = [:]
            var details: [APIErrorBody.Detail] = []
            for (name, value) in input.values {
                guard let statistic = RegionStatistic.named(name) else {
                    details.append(.init(field: "values.\(name)", code: "statistics.statistic.unknown",
                                         message: "未知的统计项“\(name)”，须为：" + RegionStatistic.allCases.map(\.rawValue).joined(separator: "、")))
                    continue
                }
                values[statistic] = value
            }
            if values.isEmpty, details.isEmpty {
                details.append(.init(field: "values", code: "statistics.values.empty", message: "values 不能为空"))
            }
            if !details.isEmpty { throw APIError(status: .unprocessableEntity, code: "validation", message: "地区统计数据有误", details: details) }
            let write = try await Self.save(req, region: region, year: year, values: values, department: input.department)
            return try JSONResponse.make(Saved(write: write, statistics: try await Self.answer(req, region: region, year: year)))
        }
        routes.on(.statisticsImport, body: .stream) { req in
            let dryRun = req.queryString("dryRun").map { $0 == "true" || $0 == "1" } ?? false
            let fileName = req.queryString("fileName") ?? "upload"
            let file = try await req.bodyFile(limitMB: 50)
            defer { try? FileManager.default.removeItem(at: file) }
            let report = try await req.statisticsService.importStatistics(reader: try Self.openReader(file), fileName: fileName, dryRun: dryRun)
            if report.succeeded { return try JSONResponse.make(report) }
            let payload = APIErrorBody.Payload(
                code: "statistics.rejected",
                message: "有 \(report.issues.count) 处问题，整个文件未导入。请按逐行报告修改后重新上传。",
                details: report.issues.prefix(1_000).map(APIErrorBody.Detail.init))
            return try JSONResponse.make(RejectedImport(error: payload, report: report), status: .unprocessableEntity)
        }
    }
}

extension Request {
    /// The region statistics use cases for the signed-in account (`StatisticsService`).
    var statisticsService: StatisticsService {
        get throws { StatisticsService(context: services, caller: try caller) }
    }
}
