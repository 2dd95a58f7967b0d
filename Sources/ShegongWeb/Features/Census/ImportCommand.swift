import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `shegong import census FILE [--dry-run] [--report PATH]`.
struct ImportCommand: AsyncCommand {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(ImportCommand(), as: "census")
        commands.use(ImportRegionsCommand(), as: "regions")
        return commands.group(help: "Import data files.")
    }

    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The census template as .csv (UTF-8, UTF-8 with BOM or GB18030) or .xlsx.")
        var file: String
        @Flag(name: "dry-run", help: "Validate and rehearse the import in a transaction that is rolled back; nothing is written.")
        var dryRun: Bool
        @Option(name: "in-post-since", help: "First day in post (YYYY-MM-DD) for people this file adds; default the import date. Allowances count months in post from it.")
        var inPostSince: String?
        var account: Option<String> = .account("import", "its scope and role apply; audited under its name")
        @Option(name: "report", help: "Where to write the row-level report; .csv, .xlsx or .json by extension. Default: FILE.report.csv and FILE.report.json when rows are rejected.")
        var report: String?
    }

    var help: String {
        "Import the census template (人才信息采集表). All rows or none: any rejected row leaves the database unchanged and the exit status non-zero."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CommandFailure("文件不存在：\(signature.file)") }
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "import census")
        let census = CensusService(context: try await context.services(), caller: caller)
        let started = Date()
        let reader: any SpreadsheetRowReader
        do {
            reader = try Spreadsheet.openReader(url: url)
        } catch let error as SpreadsheetError {
            throw CommandFailure("\(signature.file)：\(error.message)")
        }
        let format = SpreadsheetFormat.forFile(url)?.rawValue ?? "csv"
        let postsSince = try signature.inPostSince.map {
            guard let date = CivilDate(censusText: $0) else { throw CommandFailure("--in-post-since 须为 YYYY-MM-DD") }
            return date
        }
        let report = try await census.importCensus(reader: reader, fileName: url.lastPathComponent, format: format,
                                                   dryRun: signature.dryRun, postsSince: postsSince)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        if report.succeeded {
            let verb = signature.dryRun ? "预演通过（未写入）" : "导入完成"
            context.console.print("\(verb)：共 \(report.rows) 行，新增 \(report.created)，更新 \(report.updated)，未变 \(report.unchanged)（\(seconds) 秒）")
            if let path = signature.report { try Self.writeReport(report, to: path) }
            return
        }
        for issue in report.issues.prefix(50) {
            context.console.error("第 \(issue.row) 行\(issue.column.map { " \($0)" } ?? "")\(issue.value.map { "（\($0)）" } ?? "")：\(issue.message)")
        }
        if report.issues.count > 50 { context.console.error("……另有 \(report.issues.count - 50) 条问题，见报告文件") }
        let paths = signature.report.map { [$0] } ?? [signature.file + ".report.csv", signature.file + ".report.json"]
        for path in paths { try Self.writeReport(report, to: path) }
        throw CommandFailure("未导入：\(report.rejectedRows) 行未通过校验，数据库未改动。报告：\(paths.joined(separator: "、"))")
    }

    static func writeReport(_ report: CensusImportReport, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(report).write(to: url)
        } else {
            try CensusExporter.writeReport(report.issues, to: url, format: SpreadsheetFormat.forFile(url) ?? .csv)
        }
    }
}

/// `shegong import regions FILE --as USERNAME`: townships (9 digits) and communities (12 digits),
/// columns 地区代码, 地区名称, added by a read-write official in their own subtree and audited
/// under the account's name (`RegionService.importRegions`).
struct ImportRegionsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A .csv or .xlsx with the columns 地区代码 and 地区名称; each code extends its parent's (county → township → community).")
        var file: String
        var account: Option<String> = .account("import", "a read-write official, whose region must contain every new region's parent; audited under its name")
    }

    var help: String {
        "Add townships and communities beneath the national region list, as a read-write official (--as) inside their region. All rows or none."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let (url, reader) = try ImportStatisticsCommand.open(signature.file)
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "import regions")
        let regions = RegionService(context: try await context.services(), caller: caller)
        let report = try await regions.importRegions(reader: reader, fileName: url.lastPathComponent)
        guard report.issues.isEmpty else { throw ImportStatisticsCommand.rejected(report.issues, console: context.console) }
        context.console.print("地区导入完成：新增 \(report.added)，已存在 \(report.unchanged)")
    }
}
