import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

/// `shegong-bench allowance --database D --key FILE`: a monthly allowance run over everyone a
/// census run imported (a nation-wide benchmark policy, 100 / 200 / 300 yuan for any post),
/// against the single equivalent `INSERT … SELECT` in the same database (issue #4's benchmark:
/// goal at most 3×). The run decides the common shapes with the engine and writes their lines in
/// SQL (`AllowanceShapes`), the rest person by person; the equivalent statement applies the same
/// rules — the best certificate held on the 1st and a post held that day — straight in SQL into the
/// ledger, with no explanation. Printed for reference: the same select into a scratch table without
/// foreign keys, and the older baseline (today's columns on `people`, no dates, no joins).
struct AllowanceBenchmark {
    var database: String
    var keyFile: String

    init(arguments: [String]) throws {
        var database: String?, key: String?
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchUsageError("\(flag) needs a value") }
            switch flag {
            case "--database": database = value
            case "--key": key = value
            default: throw BenchUsageError("unknown option \(flag)")
            }
        }
        guard let database, let key else { throw BenchUsageError("allowance needs --database and --key") }
        self.database = database
        keyFile = key
    }

    /// Next month: people imported today are in post on its first day.
    static func policyYAML(month: CivilMonth) -> String {
        """
        id: bench-national-allowance
        name: 基准测试用全国津贴（非真实政策）
        jurisdiction: "000000"
        kind: monthly_allowance
        review_levels: [county]
        sources:
          bench:
            document: shegong-bench（基准测试，非政策文件）
        versions:
          - from: \(month.firstDay)
            source: bench
            amounts:
              助理社会工作师: 100
              社会工作师: 200
              高级社会工作师: 300
            qualifying_posts:
              - post_categories: [社区工作者, 村干部, 社工机构从业人员, 机关事业单位人员, 群团组织人员, 劳务派遣人员, 公益性岗位人员, 其他]
            pro_rata: eligible_on_first_day
        """
    }

    func run() async throws {
        let environment = [DatabaseLocation.environmentKey: database, PersonalDataCipher.keyFileEnvironmentKey: keyFile]
        try await ShegongInProcess.with(environment: environment) { db, cipher in
            let sql = db as! any SQLDatabase
            let month = CivilMonth(CivilDate.today()).adding(months: 1)
            // Start clean: an earlier run's batch and scratch table go.
            try await sql.raw("DELETE FROM payment_lines WHERE policy_id = 'bench-national-allowance'").run()
            try await sql.raw("DELETE FROM payment_batches WHERE policy_id = 'bench-national-allowance'").run()
            try await sql.raw("DROP TABLE IF EXISTS bench_allowance_lines").run()
            _ = try await PolicyStore(db: db).load(yaml: Self.policyYAML(month: month), actor: "bench")
            let ledger = IncentiveLedger(db: db, cipher: cipher)

            var start = monotonicSeconds()
            let result = try await ledger.runAllowance(policyID: "bench-national-allowance", month: month)
            let runSeconds = monotonicSeconds() - start
            start = monotonicSeconds()
            let again = try await ledger.runAllowance(policyID: "bench-national-allowance", month: month)
            let againSeconds = monotonicSeconds() - start
            // A month later: the steady state, where every payee's earlier months are checked for arrears.
            start = monotonicSeconds()
            let following = try await ledger.runAllowance(policyID: "bench-national-allowance", month: month.next)
            let followingSeconds = monotonicSeconds() - start

            // The equivalent statement: the same rules over the same registry — the best certificate
            // held on the 1st, a post held that day — written where the run writes, the ledger
            // (its own batch, the same unique key, foreign keys and indexes). Then the same select into
            // a scratch table without foreign keys, and the older baseline of today's columns.
            let day = month.firstDay.description
            let rank = { (c: String) in "CASE \(c).level WHEN '助理社会工作师' THEN 1 WHEN '社会工作师' THEN 2 WHEN '高级社会工作师' THEN 3 ELSE 0 END" }
            let categories = PostCategory.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let rules = """
                FROM people p
                JOIN certificates c ON c.person_id = p.id AND c.issue_date <= '\(day)' AND \(rank("c")) > 0
                WHERE p.certificate_level IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM certificates c2 WHERE c2.person_id = p.id AND c2.issue_date <= '\(day)'
                                  AND (\(rank("c2")) > \(rank("c")) OR (\(rank("c2")) = \(rank("c")) AND c2.id < c.id)))
                  AND EXISTS (SELECT 1 FROM employments e WHERE e.person_id = p.id AND e.start_date <= '\(day)'
                              AND (e.end_date IS NULL OR e.end_date >= '\(day)') AND e.post_category IN (\(categories)))
                """
            let amount = "CASE c.level WHEN '助理社会工作师' THEN 10000 WHEN '社会工作师' THEN 20000 ELSE 30000 END"
            try await sql.raw("""
                INSERT INTO payment_batches (id, policy_id, month, kind, status, created_at)
                VALUES ('bench-equivalent', 'bench-national-allowance', \(bind: month.description), 'equivalent', 'draft', '2026-01-01T00:00:00Z')
                """).run()
            start = monotonicSeconds()
            try await sql.raw("""
                INSERT INTO payment_lines (id, batch_id, policy_id, person_id, region_code, kind, month, level, amount_fen, state,
                                           dedupe_key, explanation, created_at)
                SELECT 'equivalent:' || p.id, 'bench-equivalent', 'bench-national-allowance', p.id, p.region_code, 'allowance',
                       \(bind: month.description), c.level, \(unsafeRaw: amount), 'draft', \(bind: "equivalent:\(month)"), '', '2026-01-01T00:00:00Z'
                \(unsafeRaw: rules)
                ON CONFLICT (policy_id, person_id, dedupe_key) DO NOTHING
                """).run()
            let insertSeconds = monotonicSeconds() - start
            let equivalent = try await sql.raw("""
                SELECT COUNT(*) AS n, CAST(SUM(amount_fen) AS BIGINT) AS total FROM payment_lines WHERE batch_id = 'bench-equivalent'
                """).first()!
            let lines: Int = try equivalent.decode(column: "n")
            let total: Int = try equivalent.decode(column: "total")
            try await sql.raw("DELETE FROM payment_lines WHERE batch_id = 'bench-equivalent'").run()
            try await sql.raw("DELETE FROM payment_batches WHERE id = 'bench-equivalent'").run()

            try await sql.raw("""
                CREATE TABLE bench_allowance_lines (id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, person_id TEXT NOT NULL,
                  region_code TEXT NOT NULL, month TEXT NOT NULL, level TEXT, amount_fen BIGINT NOT NULL, state TEXT NOT NULL,
                  UNIQUE (person_id, month))
                """).run()
            start = monotonicSeconds()
            try await sql.raw("""
                INSERT INTO bench_allowance_lines (id, batch_id, person_id, region_code, month, level, amount_fen, state)
                SELECT p.id, 'bench', p.id, p.region_code, \(bind: month.description), c.level, \(unsafeRaw: amount), 'draft'
                \(unsafeRaw: rules)
                ON CONFLICT (person_id, month) DO NOTHING
                """).run()
            let scratchSeconds = monotonicSeconds() - start
            try await sql.raw("DELETE FROM bench_allowance_lines").run()
            start = monotonicSeconds()
            try await sql.raw("""
                INSERT INTO bench_allowance_lines (id, batch_id, person_id, region_code, month, level, amount_fen, state)
                SELECT p.id, 'bench', p.id, p.region_code, \(bind: month.description), p.certificate_level,
                       CASE p.certificate_level WHEN '助理社会工作师' THEN 10000 WHEN '社会工作师' THEN 20000 ELSE 30000 END, 'draft'
                FROM people p WHERE p.certificate_level IS NOT NULL AND p.post_category IS NOT NULL
                """).run()
            let columnsSeconds = monotonicSeconds() - start
            try await sql.raw("DROP TABLE bench_allowance_lines").run()

            print("allowance run, \(month), \(result.considered) certificate holders considered (\(DatabaseLocation(setting: database)))")
            print(String(format: "  shegong allowance run     %.2f s   %d lines, %@ yuan", runSeconds, result.batch.lines, PolicyMoney.yuanText(fen: result.batch.totalFen)))
            print(String(format: "  the same run again        %.2f s   %d new lines (idempotent)", againSeconds, again.added + again.arrearsAdded))
            print(String(format: "  the next month            %.2f s   %d lines, %d arrears (every payee's earlier months checked)",
                         followingSeconds, following.added, following.arrearsAdded))
            print(String(format: "  INSERT … SELECT           %.2f s   %d lines, %@ yuan (same rules: certificate and post held on the 1st; into the ledger)", insertSeconds, lines, PolicyMoney.yuanText(fen: total)))
            print(String(format: "  ratio                     %.1f×   (goal ≤ 3×: %@)", runSeconds / insertSeconds, runSeconds / insertSeconds <= 3 ? "met" : "MISSED"))
            print(String(format: "  ratio, the next month     %.1f×   (goal ≤ 3×: %@)", followingSeconds / insertSeconds, followingSeconds / insertSeconds <= 3 ? "met" : "MISSED"))
            print(String(format: "  for reference: the same INSERT … SELECT into a scratch table without foreign keys %.2f s, ratio %.1f×",
                         scratchSeconds, runSeconds / scratchSeconds))
            print(String(format: "  for reference: INSERT … SELECT of today's columns on people only (no dates, no joins) %.2f s, ratio %.1f×",
                         columnsSeconds, runSeconds / columnsSeconds))
            print("  same lines and total      \(lines == result.batch.lines && total == result.batch.totalFen ? "OK" : "MISMATCH")")
        }
    }
}
