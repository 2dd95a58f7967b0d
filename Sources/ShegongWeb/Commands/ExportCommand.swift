import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong export census FILE [--region CODE] [--reveal] [--template]`.
struct ExportCommand: AsyncCommand {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(ExportCommand(), as: "census")
        return commands.group(help: "Export data files.")
    }

    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Output file; .xlsx or .csv (UTF-8 with BOM) by extension.")
        var file: String
        @Option(name: "region", help: "Only this region's subtree (6/9/12-digit code).")
        var region: String?
        @Flag(name: "reveal", help: "Write full ID and mobile numbers instead of masked ones (logged).")
        var reveal: Bool
        @Flag(name: "template", help: "Write the blank census template (header row only).")
        var template: Bool
    }

    var help: String { "Export the census template with everyone in a region (IDs and mobiles masked unless --reveal)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.file)
        guard let format = SpreadsheetFormat.forFile(url), format == .csv || format == .xlsx else {
            throw CommandFailure("输出文件须以 .xlsx 或 .csv 结尾：\(signature.file)")
        }
        if signature.template {
            try CensusExporter.writeTemplate(to: url, format: format)
            context.console.print("已写出空白采集表：\(signature.file)")
            return
        }
        let db = try await context.preparedDatabase()
        var region: Region?
        if let code = signature.region {
            guard let found = try await RegionStore(db).region(code: code) else { throw CommandFailure("地区代码 \(code) 不存在") }
            region = found.level == .nation ? nil : found
        }
        if signature.reveal {
            context.application.logger.notice("census export with full identifiers to \(signature.file)")
        }
        let count = try await CensusExporter(db: db, cipher: context.application.shegong.cipher)
            .export(to: url, format: format, region: region, revealIdentifiers: signature.reveal)
        context.console.print("已导出 \(count) 人到 \(signature.file)\(signature.reveal ? "（含完整证件号，请妥善保管）" : "（证件号已脱敏）")")
    }
}
