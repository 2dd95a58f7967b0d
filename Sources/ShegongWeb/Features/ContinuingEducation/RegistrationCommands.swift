import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `shegong registration due|window|overdue|short --region CODE --as USER [--output FILE]` — the
/// registration lists an office scripts (docs/training.md, "Registration and renewal").
enum RegistrationCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        for kind in RegistrationListKind.allCases { commands.use(RegistrationListCommand(kind: kind), as: kind.rawValue) }
        return commands.group(help: "Registration lists: due, window, overdue, short (of hours); printed or exported to XLSX/CSV.")
    }
}

struct RegistrationListCommand: AsyncCommand {
    let kind: RegistrationListKind

    struct Signature: CommandSignature {
        @Option(name: "region", help: "A region code inside the account's scope (default: the account's whole scope).")
        var region: String?
        @Option(name: "organization", help: "An employer's id: only its staff.")
        var organization: String?
        @Option(name: "output", help: "Write the list to this file (.xlsx or .csv) instead of printing it.")
        var output: String?
        var account: Option<String> = .account()
    }

    var help: String {
        switch kind {
        case .due: return "Workers whose first registration is pending or whose renewal window is open."
        case .window: return "Workers in the renewal window (the last three months of a period)."
        case .overdue: return "Workers whose first registration or renewal is late."
        case .short: return "Workers in the window or overdue whose hours are below those required."
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "registration \(kind.rawValue)")
        let service = ContinuingEducationService(context: try await context.services(), caller: caller)
        if let output = signature.output {
            let url = URL(fileURLWithPath: output)
            guard let format = SpreadsheetFormat.forFile(url), url.pathExtension.lowercased() != "txt" else {
                throw CommandFailure("输出文件须以 .xlsx 或 .csv 结尾：\(output)")
            }
            let table = try await service.export(kind, regionCode: signature.region, organizationID: signature.organization,
                                                 language: .zhHans, format: format)
            switch format {
            case .csv: try table.writeCSV(to: url)
            case .xlsx: try table.writeXLSX(to: url)
            }
            context.console.print("已导出 \(table.rows.count) 人：\(output)")
            return
        }
        var page = 1
        var printed = 0
        let regions = try await context.services().regions
        while true {
            let items = try await service.list(kind, regionCode: signature.region, organizationID: signature.organization, page: page, perPage: 500)
            let names = try await regions.regions(codes: Array(Set(items.items.map(\.regionCode)))).mapValues(\.name)
            if page == 1 {
                context.console.print(["姓名", "地区", "单位", "状态", "注册期", "截止日期", "已修学时", "应修学时"].joined(separator: "\t"))
            }
            for item in items.items {
                let status = RegistrationDecision.Status(rawValue: item.status).map { $0.localizedName(.zhHans) } ?? item.status
                let period = item.periodStart.map { "\($0)–\(item.periodEnd ?? "")" } ?? "-"
                context.console.print([item.name, names[item.regionCode] ?? item.regionCode, item.organizationName ?? "-", status, period, item.deadline,
                                       RegistrationRules.hoursText(item.doneMinutes), RegistrationRules.hoursText(item.requiredMinutes)]
                    .joined(separator: "\t"))
            }
            printed += items.items.count
            if printed >= items.total || items.items.isEmpty { break }
            page += 1
        }
        context.console.print("共 \(printed) 人")
    }
}
