import Foundation
import ShegongDomain
import ShegongServices
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
        var account: Option<String> = .account("export", "its scope applies; --reveal needs read-write access; audited")
    }

    var help: String { "Export the census template with everyone in a region inside the account's scope (IDs and mobiles masked unless --reveal; audited)." }

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
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "export census")
        let census = CensusService(context: try await context.services(), caller: caller)
        let written = try await census.export(to: url, format: format, regionCode: signature.region, reveal: signature.reveal)
        context.console.print("已导出 \(written.people) 人到 \(signature.file)\(signature.reveal ? "（含完整证件号，请妥善保管）" : "（证件号已脱敏）")")
    }
}
