import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong demo [--people N] [--seed S]`: loads the demo data set (idempotent for the same N and seed).
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "people", short: "n", help: "Number of synthetic people (default 20000).")
        var people: Int?
        @Option(name: "seed", help: "Seed of the synthetic people (default 2025); the same seed gives the same people.")
        var seed: UInt64?
    }

    var help: String {
        "Load the demo data set: 湖北 (荆州市, 恩施州咸丰县), 酒泉市, 宣城市, their townships, communities and employers, and N deterministic synthetic people."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let people = signature.people ?? 20_000
        guard people >= 0 else { throw CommandFailure("--people must be 0 or more") }
        let db = try await context.preparedDatabase()
        let started = Date()
        var dataSet = DemoDataSet(people: people, seed: signature.seed ?? 2025)
        let console = context.console
        dataSet.progress = { step in console.print(Self.line(step)) }
        let summary = try await dataSet.load(db: db, cipher: context.application.shegong.cipher)
        let report = summary.report
        guard report.succeeded else {
            for issue in report.issues.prefix(20) { context.console.error("row \(issue.row) \(issue.column ?? ""): \(issue.message)") }
            throw CommandFailure("demo data set rejected: \(report.rejectedRows) rows")
        }
        // The seed incentive policies (荆州市, 咸丰县, 宣城市 with placeholder amounts).
        let policies = PolicyStore(db: db)
        for (name, yaml) in try PolicyStore.seedFiles() {
            do {
                _ = try await policies.load(yaml: yaml, actor: "demo")
            } catch let error as StoreError {
                throw CommandFailure("seed policy \(name): \(error.message) \(error.details.map(\.message).joined(separator: "; "))")
            }
        }
        // The seed allowances as an office that ran them every month would have them: each month
        // since the policy began approved and paid, this month's batch a draft to review. Running
        // the demo again changes nothing (closed batches are not recomputed, runs are idempotent).
        console.print("正在计算各月津贴批次…")
        // Four eyes (docs/policies.md): a clerk runs, another official approves, finance records it paid.
        let ledger = IncentiveLedger(db: db, cipher: context.application.shegong.cipher)
        let month = CivilMonth(CivilDate.today())
        var lines = 0
        for policy in try await policies.active() where policy.kind == .monthlyAllowance {
            guard let first = policy.versions.first.map({ CivilMonth($0.from) }), first <= month else { continue }
            for past in CivilMonth.months(from: first, through: month) where policy.isInForce(during: past) {
                let result: AllowanceRunResult
                do {
                    result = try await ledger.runAllowance(policyID: policy.id, month: past, runBy: "demo-clerk")
                } catch let error as StoreError where error.kind == .conflict {
                    continue   // approved or paid already
                }
                if past == month { lines += result.batch.lines; continue }
                _ = try await ledger.approve(batchID: result.batch.id, approver: "demo-approver")
                _ = try await ledger.markPaid(batchID: result.batch.id, actor: "demo-finance")
            }
        }
        context.console.print("演示数据已载入：新增地区 \(summary.regionsAdded)，新增单位 \(summary.organizationsAdded)，"
            + "人员新增 \(report.created)、更新 \(report.updated)、未变 \(report.unchanged)；\(month) 津贴草稿批次 \(lines) 笔"
            + "（\(String(format: "%.1f", Date().timeIntervalSince(started))) 秒）")
    }

    /// One line of progress; the people are reported every 2,000 rows, as the importer commits them.
    static func line(_ step: DemoStep) -> String {
        switch step {
        case .regionsAndEmployers: return "正在写入地区与用人单位…"
        case .people(let read, let total): return "正在导入人员：\(read) / \(total)"
        case .plansSitesAndFigures: return "正在写入规划、实践基地、试点与统计数据…"
        }
    }
}
