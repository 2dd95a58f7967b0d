import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong import statistics FILE [--dry-run]`: region statistics (the indicators' denominators).
struct ImportStatisticsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A .csv or .xlsx: columns 地区代码, 年份, 指标, 数值 (one figure a row), or 地区代码, 年份 and one column per statistic (社区工作者总数, 中小学校数 …).")
        var file: String
        @Flag(name: "dry-run", help: "Validate only; nothing is written.")
        var dryRun: Bool
    }

    var help: String {
        "Import region statistics (schools, population 60+, care beds, community workers …) per region and year. All figures or none; every change is kept in the history."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CommandFailure("文件不存在：\(signature.file)") }
        let db = try await context.preparedDatabase()
        let reader: any SpreadsheetRowReader
        do {
            reader = try Spreadsheet.openReader(url: url, preferredSheet: nil)
        } catch let error as SpreadsheetError {
            throw CommandFailure("\(signature.file)：\(error.message)")
        }
        let report = try await RegionStatisticImporter(db: db).run(reader: reader, fileName: url.lastPathComponent,
                                                                   dryRun: signature.dryRun, actor: "cli")
        guard report.succeeded else {
            for issue in report.issues.prefix(50) {
                context.console.error("第 \(issue.row) 行\(issue.column.map { " \($0)" } ?? "")\(issue.value.map { "（\($0)）" } ?? "")：\(issue.message)")
            }
            if report.issues.count > 50 { context.console.error("……另有 \(report.issues.count - 50) 条问题") }
            throw CommandFailure("未导入：\(report.issues.count) 处问题，数据库未改动")
        }
        let verb = signature.dryRun ? "预演通过（未写入）" : "统计数据导入完成"
        context.console.print("\(verb)：共 \(report.figures) 项，新增 \(report.created)，更新 \(report.updated)，未变 \(report.unchanged)")
    }
}

/// The `import` group with `statistics` added beside the census and region imports.
struct ImportCommandGroup: AsyncCommandGroup {
    let base: any AsyncCommandGroup
    var commands: [String: any AnyAsyncCommand] {
        base.commands.merging(["statistics": ImportStatisticsCommand()]) { existing, _ in existing }
    }
    var defaultCommand: (any AnyAsyncCommand)? { base.defaultCommand }
    var help: String { base.help }
}
