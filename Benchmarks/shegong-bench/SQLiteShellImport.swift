import Foundation
import ShegongDomain

/// The yardstick: the sqlite3 shell loading the same CSV into one table of the template's 14
/// columns with a unique index on the ID number — parsing and a B-tree insert per row, no
/// validation, no encryption, no other tables. Table, index and import run in one invocation.
struct SQLiteShellImport {
    var sqlite3: URL
    var csv: URL
    var database: URL
    var workdir: URL

    struct Result {
        var measurement: ChildMeasurement
        var rows: Int?
        var version: String
    }

    func run() throws -> Result {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: database.path + suffix)
        }
        let columns = CensusColumn.allCases.map { "\"\($0.rawValue)\" TEXT" }.joined(separator: ", ")
        // WAL as Shegong uses it; synchronous stays at its default (FULL), as in Shegong.
        let script = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE census (\(columns));
            CREATE UNIQUE INDEX census_resident_id ON census("\(CensusColumn.residentID.rawValue)");
            .import --csv --skip 1 '\(csv.path.replacingOccurrences(of: "'", with: "''"))' census
            SELECT COUNT(*) FROM census;

            """
        let scriptURL = workdir.appendingPathComponent("sqlite3-import.sql")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let log = workdir.appendingPathComponent("sqlite3-import.log")
        let measurement = try ChildProcess.measure(sqlite3, [database.path], environment: ProcessInfo.processInfo.environment,
                                                   input: scriptURL, log: log)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let lastLine = output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return Result(measurement: measurement, rows: Int(lastLine.trimmingCharacters(in: .whitespaces)), version: version())
    }

    private func version() -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = sqlite3
        process.arguments = ["-version"]
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "?" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }
}
