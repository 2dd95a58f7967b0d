import Foundation
import ShegongStore

/// `shegong-bench census`: one run, every figure side by side.
struct CensusBenchmark {
    var options: CensusBenchOptions

    static let importRatioGoal = 4.0
    static let peakMemoryGoalMiB = 300.0
    static let speedUpGoal = 20.0

    func run() async throws {
        let files = FileManager.default
        let workdir = options.workdir
        try files.createDirectory(at: workdir, withIntermediateDirectories: true)
        guard files.isExecutableFile(atPath: options.shegongBinary.path) else {
            throw UsageError("\(options.shegongBinary.path) not found: build it first with "
                + "`swift build -c release --product shegong --product shegong-bench`")
        }
        let database = options.database ?? freshSQLiteFile(in: workdir)
        let location = DatabaseLocation(setting: database)
        var environment = ProcessInfo.processInfo.environment
        environment[DatabaseLocation.environmentKey] = database
        environment[PersonalDataCipher.keyFileEnvironmentKey] = workdir.appendingPathComponent("shegong.key").path
        environment["SHEGONG_LOG_LEVEL"] = "notice"
        #if DEBUG
        note("warning: this is a debug build of shegong-bench; the statistics timings are only meaningful in release")
        #endif

        // 1. The demo regions and employers, so the generated rows name places that exist.
        note("[1/5] shegong demo --people 0 (\(location))")
        let demoLog = workdir.appendingPathComponent("shegong-demo.log")
        try ChildProcess.run(options.shegongBinary, ["demo", "--people", "0"], environment: environment, log: demoLog)
        // The import acts as a named account (its scope applies, audited under its name): a
        // national read-write official of its own, made once per database.
        let importer = "shegong-bench-importer"
        try ChildProcess.run(options.shegongBinary, ["user", "add", importer, "--role", "official", "--region", RegionPath.nationCode,
                                                     "--access", "readwrite"],
                             environment: environment, log: workdir.appendingPathComponent("shegong-user.log"))
        let ground = try await ShegongInProcess.with(environment: environment) { db, cipher in
            try await CensusGround.read(db: db, cipher: cipher)
        }
        guard ground.peopleOnFile == 0 else {
            throw UsageError("\(location) already holds \(ground.peopleOnFile) people; the benchmark needs a database without people")
        }

        // 2. The file.
        let csv = workdir.appendingPathComponent("census-\(options.people).csv")
        note("[2/5] writing \(options.people) synthetic people to \(csv.path) (\(ground.places.count) places)")
        let started = monotonicSeconds()
        try SyntheticCensus(people: options.people, seed: options.seed, places: ground.places,
                            employersByCounty: ground.employersByCounty).write(to: csv)
        let csvSeconds = monotonicSeconds() - started
        let csvBytes = (try files.attributesOfItem(atPath: csv.path)[.size] as? Int) ?? 0

        // 3. The import under test.
        note("[3/5] shegong import census (\(location))")
        let importLog = workdir.appendingPathComponent("shegong-import.log")
        let shegongImport = try ChildProcess.measure(options.shegongBinary, ["import", "census", csv.path, "--as", importer],
                                                     environment: environment, log: importLog)
        guard shegongImport.exitStatus == 0 else {
            throw ChildProcessError(description: "shegong import census failed (exit \(shegongImport.exitStatus)); see \(importLog.path)")
        }

        // 4. The yardstick.
        var shell: SQLiteShellImport.Result?
        if let sqlite3 = ChildProcess.find("sqlite3") {
            note("[4/5] sqlite3 .import of the same file")
            shell = try SQLiteShellImport(sqlite3: sqlite3, csv: csv, database: workdir.appendingPathComponent("sqlite3-shell.sqlite"),
                                          workdir: workdir).run()
        } else {
            note("[4/5] sqlite3 not found on PATH: no comparison (install it with `apt-get install -y sqlite3`)")
        }

        // 5. Statistics at the root.
        note("[5/5] census statistics at the root, \(options.repetitions) times each")
        let statistics = try await ShegongInProcess.with(environment: environment) { db, _ in
            try await CensusStatisticsTiming.measure(db: db, repetitions: options.repetitions)
        }

        print("")
        print(report(location: location, csvSeconds: csvSeconds, csvBytes: csvBytes, shegongImport: shegongImport,
                     shell: shell, statistics: statistics))
        print("files and logs: \(workdir.path)")
    }

    /// The default target: a new SQLite file in the work directory, any earlier one removed.
    private func freshSQLiteFile(in workdir: URL) -> String {
        let path = workdir.appendingPathComponent("shegong.sqlite").path
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return path
    }

    private func report(location: DatabaseLocation, csvSeconds: Double, csvBytes: Int, shegongImport: ChildMeasurement,
                        shell: SQLiteShellImport.Result?, statistics: CensusStatisticsTiming) -> String {
        let engine = location.isPostgres ? "PostgreSQL" : "SQLite"
        let build = options.shegongBinary.path.contains("/debug/") ? "debug build" : "release build"
        var lines = ["census import, \(options.people) people (\(engine), \(build), \(ProcessInfo.processInfo.activeProcessorCount) cores)"]
        lines.append(row("CSV written", "\(seconds(csvSeconds))   \(mebibytes(Double(csvBytes) / 1_048_576)) file (not timed below)"))
        let memoryVerdict = verdict(shegongImport.peakRSSMiB < Self.peakMemoryGoalMiB)
        lines.append(row("shegong import census", "\(seconds(shegongImport.seconds))   peak RSS \(peak(shegongImport))"
            + "   (goal < \(Int(Self.peakMemoryGoalMiB)) MB: \(memoryVerdict))"))
        lines.append(row("", "CPU \(seconds(shegongImport.userSeconds)) user + \(seconds(shegongImport.systemSeconds)) system"))
        if let shell {
            let target = location.isPostgres ? ", into a separate SQLite file" : ""
            let rows = shell.rows.map { $0 == options.people ? "" : "   (\($0) rows loaded!)" } ?? "   (row count unknown)"
            lines.append(row("sqlite3 .import", "\(seconds(shell.measurement.seconds))   peak RSS \(peak(shell.measurement))"
                + "   (sqlite3 \(shell.version)\(target))\(rows)"))
            let ratio = shegongImport.seconds / shell.measurement.seconds
            lines.append(row("ratio", String(format: "%.1f×", ratio) + "   (goal ≤ \(Int(Self.importRatioGoal))×: \(verdict(ratio <= Self.importRatioGoal)))"))
        } else {
            lines.append(row("sqlite3 .import", "not run: sqlite3 not found on PATH (apt-get install -y sqlite3)"))
        }
        let maintained = median(statistics.maintainedSeconds), scan = median(statistics.scanSeconds)
        lines.append("census statistics at the root (\(statistics.total) people)")
        lines.append(row("maintained aggregates", "\(milliseconds(maintained))   (median of \(statistics.maintainedSeconds.count))"))
        lines.append(row("GROUP BY scan", "\(milliseconds(scan))   (median of \(statistics.scanSeconds.count))"))
        let speedUp = scan / maintained
        lines.append(row("speed-up", String(format: "%.0f×", speedUp) + "   (goal ≥ \(Int(Self.speedUpGoal))×: \(verdict(speedUp >= Self.speedUpGoal)))"))
        lines.append(row("same counts", statistics.mismatch.map { "MISMATCH: \($0)" } ?? "OK (\(statistics.countsCompared) counts)"))
        return lines.joined(separator: "\n")
    }

    private func row(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 24, withPad: " ", startingAt: 0) + "  " + value
    }
    private func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
    private func seconds(_ s: Double) -> String { String(format: "%.1f s", s) }
    private func milliseconds(_ s: Double) -> String { String(format: s < 0.01 ? "%.2f ms" : "%.0f ms", s * 1000) }
    private func mebibytes(_ mib: Double) -> String { String(format: "%.0f MB", mib) }
    private func peak(_ m: ChildMeasurement) -> String { (m.peakIsUpperBound ? "≤ " : "") + mebibytes(m.peakRSSMiB) }
    private func note(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
}
