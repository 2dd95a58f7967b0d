import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `shegong import statistics FILE [--dry-run] [--as USERNAME]`: region statistics (the indicators' denominators),
/// as a named account (`StatisticsService.importStatistics`: its scope and field, audited with the counts).
struct ImportStatisticsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A .csv or .xlsx: columns 地区代码, 年份, 指标, 数值 (one figure a row), or 地区代码, 年份 and one column per statistic (社区工作者总数, 中小学校数 …).")
        var file: String
        @Flag(name: "dry-run", help: "Validate only; nothing is written.")
        var dryRun: Bool
        var account: Option<String> = .account("import", "its regions and, for a department operator, its field apply; audited under its name with the counts")
    }

    var help: String {
        "Import region statistics (schools, population 60+, care beds, community workers …) per region and year. All figures or none; every change is kept in the history."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "import statistics")
        let (url, reader) = try Self.open(signature.file)
        let statistics = StatisticsService(context: try await context.services(), caller: caller)
        let report = try await statistics.importStatistics(reader: reader, fileName: url.lastPathComponent, dryRun: signature.dryRun)
        guard report.succeeded else { throw Self.rejected(report.issues, console: context.console) }
        let verb = signature.dryRun ? "预演通过（未写入）" : "统计数据导入完成"
        context.console.print("\(verb)：共 \(report.figures) 项，新增 \(report.created)，更新 \(report.updated)，未变 \(report.unchanged)")
    }
}

extension ImportStatisticsCommand {
    /// A spreadsheet named on the command line, opened for reading (its first sheet), or a failure naming it.
    static func open(_ path: String) throws -> (URL, any SpreadsheetRowReader) {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CommandFailure("文件不存在：\(path)") }
        do {
            return (url, try Spreadsheet.openReader(url: url, preferredSheet: nil))
        } catch let error as SpreadsheetError {
            throw CommandFailure("\(path)：\(error.message)")
        }
    }

    /// Prints the first 50 problems by row and returns the failure that says nothing was written.
    static func rejected(_ issues: [CensusIssue], console: any Console) -> CommandFailure {
        for issue in issues.prefix(50) {
            console.error("第 \(issue.row) 行\(issue.column.map { " \($0)" } ?? "")\(issue.value.map { "（\($0)）" } ?? "")：\(issue.message)")
        }
        if issues.count > 50 { console.error("……另有 \(issues.count - 50) 条问题") }
        return CommandFailure("未导入：\(issues.count) 处问题，数据库未改动")
    }
}

/// `shegong import exam-passes FILE --year Y [--dry-run] [--as USERNAME]`: the exam authority's pass list, as a named
/// account (`ExamService.importPasses`: a read-write official, people in its region; audited with the counts).
struct ImportExamPassesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A .csv or .xlsx with columns 身份证号, 证书等级, 证书编号, 发证日期 (and 姓名, checked when present).")
        var file: String
        @Option(name: "year", help: "The exam year (the passes are counted under it).")
        var year: Int?
        @Flag(name: "dry-run", help: "Validate only; nothing is written.")
        var dryRun: Bool
        var account: Option<String> = .account("import", "a read-write official; only people working in its region; audited under its name with the counts")
    }

    var help: String {
        "Import an exam pass list: each pass becomes the person's certificate (people must be on file) and the passes per level and county are kept as exam figures. All rows or none; importing the same list again changes nothing."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let year = signature.year, (2008...2100).contains(year) else { throw CommandFailure("请用 --year 给出考试年份，例如 --year 2025") }
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "import exam-passes")
        let (url, reader) = try ImportStatisticsCommand.open(signature.file)
        let exams = ExamService(context: try await context.services(), caller: caller)
        let report = try await exams.importPasses(reader: reader, fileName: url.lastPathComponent, year: year, dryRun: signature.dryRun)
        guard report.issues.isEmpty else { throw ImportStatisticsCommand.rejected(report.issues, console: context.console) }
        let verb = signature.dryRun ? "预演通过（未写入）" : "合格名单导入完成"
        context.console.print("\(verb)：\(report.rows) 人，新增证书 \(signature.dryRun ? report.rows - report.alreadyOnFile : report.certificatesCreated)，已登记 \(report.alreadyOnFile)；按等级和区县记入 \(report.figures.count) 项考试数据")
    }
}

/// The `import` group with `statistics` and `exam-passes` added beside the census and region imports.
struct ImportCommandGroup: AsyncCommandGroup {
    let base: any AsyncCommandGroup
    var commands: [String: any AnyAsyncCommand] {
        base.commands.merging(["statistics": ImportStatisticsCommand(), "exam-passes": ImportExamPassesCommand()]) { existing, _ in existing }
    }
    var defaultCommand: (any AnyAsyncCommand)? { base.defaultCommand }
    var help: String { base.help }
}
