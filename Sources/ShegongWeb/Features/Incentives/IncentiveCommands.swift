import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `shegong policy check|load|simulate|list` — incentive policies as data (docs/policies.md).
enum PolicyCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(PolicyCheckCommand(), as: "check")
        commands.use(PolicyLoadCommand(), as: "load")
        commands.use(PolicySimulateCommand(), as: "simulate")
        commands.use(PolicyListCommand(), as: "list")
        return commands.group(help: "Incentive policies: check, load (activate), simulate, list.")
    }

    static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CommandFailure("无法读取政策文件：\(path)") }
        return text
    }

    static func report(_ errors: PolicyErrorList, file: String, console: any Console) -> CommandFailure {
        for error in errors.errors {
            console.error("\(file)\(error.line.map { ":\($0)" } ?? "") \(error.path)：\(error.message)")
        }
        return CommandFailure("政策文件有 \(errors.errors.count) 处错误，未启用")
    }
}

struct PolicyCheckCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A policy file (YAML, docs/policies.md).")
        var file: String
    }
    var help: String { "Validate a policy file: format, amounts, versions, and that its regions exist. Changes nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        switch try await PolicyStore(db: db).check(yaml: try PolicyCommands.read(signature.file)) {
        case .success(let policy):
            context.console.print("\(signature.file)：有效。\(policy.name)（\(policy.id)），\(policy.versions.count) 个版本")
        case .failure(let errors):
            throw PolicyCommands.report(errors, file: signature.file, console: context.console)
        }
    }
}

struct PolicyLoadCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A policy file (YAML). A file with any error activates nothing.")
        var file: String
        var account: Option<String> = .account()
    }
    var help: String { "Activate a policy file (replacing the live text of the same id; every text is kept)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let text = try PolicyCommands.read(signature.file)
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "policy load")
        let policy: IncentivePolicy
        do {
            policy = try await incentives.load(yaml: text)
        } catch let errors as PolicyErrorList {
            throw PolicyCommands.report(errors, file: signature.file, console: context.console)
        }
        context.application.logger.notice("policy \(policy.id) loaded from \(signature.file)")
        context.console.print("已启用：\(policy.name)（\(policy.id)）")
    }
}

struct PolicyListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List the loaded policies." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        let policies = try await PolicyStore(db: db).list()
        let regions = try await RegionStore(db).regions(codes: policies.map(\.jurisdiction))
        for p in policies {
            let jurisdiction = regions[p.jurisdiction].map { "\(p.jurisdiction)（\($0.name)）" } ?? p.jurisdiction
            context.console.print("\(p.id)\t\(jurisdiction)\t\(p.kind)\t\(p.active ? "启用" : "停用")\t\(p.name)\(p.placeholder && !p.name.contains("占位金额") ? "（占位金额）" : "")")
        }
    }
}

struct PolicySimulateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A draft policy file (new, or a changed version of a loaded policy with the same id).")
        var file: String
        @Option(name: "month", help: "The month to cost (YYYY-MM); default this month.")
        var month: String?
        @Option(name: "by", help: "Group by region level: province, city, county (default), township.")
        var by: String?
        var account: Option<String> = .account()
    }
    var help: String { "Cost a draft policy against the current registry, beside the live policy; pays nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let text = try PolicyCommands.read(signature.file)
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "policy simulate")
        let policy: IncentivePolicy
        do {
            policy = try await incentives.check(yaml: text)
        } catch let errors as PolicyErrorList {
            throw PolicyCommands.report(errors, file: signature.file, console: context.console)
        }
        let month = try signature.month.map {
            guard let m = CivilMonth(iso: $0) else { throw CommandFailure("--month 须为 YYYY-MM") }
            return m
        } ?? CivilMonth(CivilDate.today())
        let levels: [String: RegionLevel] = ["province": .province, "city": .city, "county": .county, "township": .township]
        guard let level = levels[signature.by ?? "county"] else { throw CommandFailure("--by 须为 province、city、county 或 township") }
        let rows = try await incentives.simulate(yaml: text, month: month, by: level)
        context.console.print("模拟：\(policy.name)，\(month)，按\(level.rawValue)级地区（元）")
        context.console.print("地区\t草案人数\t草案月度\t草案年度\t现行人数\t现行月度\t现行年度\t年度差额")
        for row in rows {
            context.console.print([row.region?.value ?? "合计外", String(row.draft.peopleInMonth), PolicyMoney.yuanText(fen: row.draft.monthFen),
                                   PolicyMoney.yuanText(fen: row.draft.yearFen), String(row.live.peopleInMonth), PolicyMoney.yuanText(fen: row.live.monthFen),
                                   PolicyMoney.yuanText(fen: row.live.yearFen), PolicyMoney.yuanText(fen: row.yearDifferenceFen)].joined(separator: "\t"))
        }
    }
}

/// `shegong eligibility ID_NUMBER [--date D]`: every policy that could apply, with the explanation.
struct EligibilityCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id-number", help: "The person's resident ID number.")
        var idNumber: String
        @Option(name: "date", help: "The date to decide for (YYYY-MM-DD); default today.")
        var date: String?
        @Flag(name: "english", help: "Explain in English.")
        var english: Bool
        var account: Option<String> = .account("act", "the person must be in its scope")
    }
    var help: String { "Explain which incentive policies a person qualifies for, rule by rule." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let date = try signature.date.map {
            guard let d = CivilDate(censusText: $0) else { throw CommandFailure("--date 须为 YYYY-MM-DD") }
            return d
        } ?? CivilDate.today()
        let caller = try await context.caller(as: signature.account.wrappedValue, command: "eligibility")
        let services = try await context.services()
        var filter = PersonFilter()
        filter.idNumber = signature.idNumber
        filter.scope = caller.scope
        guard let person = try await services.people.list(filter).items.first else {
            throw CommandFailure("未找到身份证号为 \(signature.idNumber.prefix(3))*** 的人员")
        }
        let decisions = try await IncentiveService(context: services, caller: caller).eligibility(personID: person.id, on: date)
        context.console.print("\(person.name)（\(person.idNumber)），\(date)：")
        if decisions.isEmpty { context.console.print("  所在地区没有生效的激励政策") }
        for decision in decisions {
            context.console.print(decision.explanation(signature.english ? .en : .zh))
            context.console.print("")
        }
    }
}

/// `shegong allowance run|approve|paid|export|batches`.
enum AllowanceCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(AllowanceRunCommand(), as: "run")
        commands.use(BatchTransitionCommand(paid: false), as: "approve")
        commands.use(BatchTransitionCommand(paid: true), as: "paid")
        commands.use(BatchExportCommand(), as: "export")
        commands.use(BatchListCommand(), as: "batches")
        return commands.group(help: "Monthly allowance runs and payment batches.")
    }
}

struct AllowanceRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "policy", help: "The monthly-allowance policy id.")
        var policy: String?
        @Option(name: "month", help: "YYYY-MM")
        var month: String?
        var account: Option<String> = .account()
    }
    var help: String { "Compute a month's allowance payroll from the registry (with arrears). Running it again changes nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let policy = signature.policy, let raw = signature.month, let month = CivilMonth(iso: raw) else {
            throw CommandFailure("用法：shegong allowance run --policy ID --month YYYY-MM")
        }
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "allowance run")
        let result = try await incentives.runAllowance(policyID: policy, month: month)
        context.console.print("\(month) 批次 \(result.batch.number)（\(result.batch.id)，\(result.batch.status)）：核查 \(result.considered) 人，新增 \(result.added) 笔当月津贴、\(result.arrearsAdded) 笔补发；"
            + "批次共 \(result.batch.lines) 笔 \(PolicyMoney.yuanText(fen: result.batch.totalFen)) 元")
        if let warning = result.budgetWarning { context.console.warning(warning.chinese) }
    }
}

struct BatchTransitionCommand: AsyncCommand {
    let paid: Bool
    struct Signature: CommandSignature {
        @Argument(name: "batch", help: "The batch id.")
        var batch: String
        @Option(name: "lines", help: "The number of lines you checked; with --total-fen, a batch that no longer has them is refused.")
        var lines: Int?
        @Option(name: "total-fen", help: "The total (fen) you checked.")
        var totalFen: Int?
        var account: Option<String> = .account()
    }
    var help: String {
        paid ? "Record that an approved batch has been paid (not by its approver: four eyes, docs/policies.md)."
            : "Approve a draft payment batch (once; not by whoever ran it: four eyes, docs/policies.md)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: paid ? "allowance paid" : "allowance approve")
        let expected: BatchConfirmation?
        switch (signature.lines, signature.totalFen) {
        case let (lines?, total?): expected = BatchConfirmation(lines: lines, totalFen: total)
        case (nil, nil): expected = nil
        default: throw CommandFailure("--lines 和 --total-fen 须一起给出")
        }
        let info = paid ? try await incentives.markPaid(batchID: signature.batch, expected: expected)
            : try await incentives.approve(batchID: signature.batch, expected: expected)
        context.console.print("批次 \(info.number)（\(info.id)）：\(info.status)，\(info.lines) 笔，\(MoneyText.text(fen: info.totalFen, language: .zhHans))")
    }
}

struct BatchExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "batch", help: "The batch id.")
        var batch: String
        @Argument(name: "file", help: "Output .xlsx or .csv")
        var file: String
        var account: Option<String> = .account()
    }
    var help: String { "Write a batch's payment list (masked IDs, total and checksum)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let url = URL(fileURLWithPath: signature.file)
        guard let format = SpreadsheetFormat.forFile(url) else { throw CommandFailure("输出文件须以 .xlsx 或 .csv 结尾") }
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "allowance export")
        let result = try await incentives.export(batchID: signature.batch, to: url, format: format)
        context.console.print("已写出 \(result.lines) 笔，合计 \(PolicyMoney.yuanText(fen: result.totalFen)) 元，校验码 \(result.checksum)")
    }
}

struct BatchListCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "policy", help: "Only this policy.")
        var policy: String?
        var account: Option<String> = .account()
    }
    var help: String { "List payment batches with their totals." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "allowance batches")
        for b in try await incentives.batches(policyID: signature.policy) {
            context.console.print("\(b.id)\t\(b.policyID)\t\(b.month)\t\(b.kind)\t\(b.status)\t\(b.lines) 笔\t\(MoneyText.text(fen: b.totalFen, language: .zhHans))\t\(b.number)")
        }
    }
}

enum IncentiveCommandSupport {
    /// The incentive service as the account named by `--as` (or `SHEGONG_CLI_ACCOUNT`).
    static func service(_ context: CommandContext, as account: String?, command: String) async throws -> IncentiveService {
        let caller = try await context.caller(as: account, command: command)
        return IncentiveService(context: try await context.services(), caller: caller)
    }
}

/// `shegong four-eyes show REGION` / `shegong four-eyes set REGION --value on|off --reason TEXT --as ADMIN`:
/// the four-eyes rule of a region's policies (docs/policies.md "Four eyes"). Only a security or
/// system administrator account may change it; the change is audited with its reason.
struct FourEyesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "show or set")
        var action: String
        @Argument(name: "region", help: "The region code (a policy's jurisdiction or a region above it).")
        var region: String
        @Option(name: "value", help: "on or off (for set)")
        var value: String?
        @Option(name: "reason", help: "Why the setting changes (required for set).")
        var reason: String?
        var account: Option<String> = .account("act", "a security or system administrator to set")
    }
    var help: String { "Show, or turn on or off, the four-eyes rule on money for a region (on by default)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let incentives = try await IncentiveCommandSupport.service(context, as: signature.account.wrappedValue, command: "four-eyes \(signature.action)")
        switch signature.action {
        case "show":
            let setting = try await incentives.fourEyesSetting(regionCode: signature.region)
            context.console.print(setting.map { "\($0.regionCode)：\($0.enabled ? "开启" : "关闭")（\($0.changedBy)，\($0.changedAt)：\($0.reason)）" }
                                  ?? "\(signature.region)：开启（默认）")
        case "set":
            guard let value = signature.value, value == "on" || value == "off" else { throw CommandFailure("用法：shegong four-eyes set REGION --value on|off --reason 原因 --as 管理员") }
            let setting = try await incentives.setFourEyes(regionCode: signature.region, enabled: value == "on", reason: signature.reason ?? "")
            context.console.print("\(setting.regionCode)：四眼原则已\(setting.enabled ? "开启" : "关闭")")
        default:
            throw CommandFailure("用法：shegong four-eyes show|set REGION [--value on|off --reason 原因] --as 账号")
        }
    }
}
