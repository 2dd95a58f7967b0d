import Foundation

// `shegong-bench`: prints figures, asserts nothing (STYLE §9). Tests never time anything.
let usage = """
    usage: shegong-bench census [--people N] [--workdir DIR] [--database URL-or-path] [--repeat K] [--seed S] [--shegong PATH]

      census     Import N synthetic people with `shegong import census` (release build) and compare it
                 with the sqlite3 shell's .import of the same CSV; then time the census statistics at the
                 root from the maintained aggregates against the GROUP BY scan they replace.

      --people N       people in the generated CSV (default 1000000)
      --workdir DIR    where the CSV, the SQLite files, the key file and the logs go
                       (default .build/shegong-bench; files of an earlier run there are replaced)
      --database D     SQLite path or postgres:// URL to import into; it must hold no people yet
                       (default: DIR/shegong.sqlite, created afresh)
      --repeat K       timings of the statistics queries, median reported (default 5)
      --seed S         seed of the synthetic people (default 2025)
      --shegong PATH   the shegong binary (default .build/release/shegong)

    usage: shegong-bench indicators --database URL-or-path --key FILE [--repeat K]

      indicators The root dashboard's shipped indicators for the nation from the maintained census
                 aggregates, against the same indicators with every people count scanned. Point it at a
                 database a census run filled (e.g. .build/shegong-bench/shegong.sqlite and its shegong.key).

    usage: shegong-bench auth --database URL-or-path --key FILE [--seconds S] [--connections C]

      auth       Requests per second with and without authentication (read) and with and without
                 authentication and the audit entry (write), in this process over HTTP, driven by wrk.

    usage: shegong-bench lists --database URL-or-path --key FILE [--seconds S] [--connections C]

      lists      Issue #15's table over HTTP, driven by wrk: for the nation and the most populous province,
                 city, county and township, an official scoped to it reads the people list's first page, a
                 page jump to page 500, the page after a cursor, a name-prefix search and the census
                 statistics; requests a second, p50/p99 and the server's CPU time per request, each
                 against GET /api/v1/health. Use a database a census run filled.

    usage: shegong-bench allowance --database URL-or-path --key FILE

      allowance  A monthly allowance run over everyone on file (a nation-wide benchmark policy) against
                 the single equivalent INSERT … SELECT in the same database. Use a database a census run filled.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
if ["indicators", "allowance", "auth", "lists"].contains(arguments.first) {
    do {
        if arguments.first == "lists" {
            try await ListBenchmark(arguments: Array(arguments.dropFirst())).run()
        } else if arguments.first == "auth" {
            try await AuthBenchmark(arguments: Array(arguments.dropFirst())).run()
        } else if arguments.first == "indicators" {
            try await IndicatorBenchmark(arguments: Array(arguments.dropFirst())).run()
        } else {
            try await AllowanceBenchmark(arguments: Array(arguments.dropFirst())).run()
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("shegong-bench: \(error)\n\n\(usage)\n".utf8))
        exit(1)
    }
}
guard arguments.first == "census" else {
    print(usage)
    exit(arguments.isEmpty || arguments.first == "--help" || arguments.first == "-h" ? 0 : 2)
}
let options: CensusBenchOptions
do {
    options = try CensusBenchOptions(arguments: Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("shegong-bench: \(error)\n\n\(usage)\n".utf8))
    exit(2)
}
do {
    try await CensusBenchmark(options: options).run()
} catch {
    FileHandle.standardError.write(Data("shegong-bench: \(error)\n".utf8))
    exit(1)
}
