import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// `shegong-bench indicators --database D --key FILE [--repeat K]`: the root dashboard's shipped
/// indicators for the nation, people counts answered from the maintained census aggregates,
/// against the same indicators with every people count scanned (issue #5's benchmark). Run it on
/// a database a `census` run filled.
struct IndicatorBenchmark {
    var database: String
    var keyFile: String
    var repetitions: Int

    init(arguments: [String]) throws {
        var database: String?, key: String?, repetitions = 5
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchUsageError("\(flag) needs a value") }
            switch flag {
            case "--database": database = value
            case "--key": key = value
            case "--repeat": repetitions = Int(value) ?? 5
            default: throw BenchUsageError("unknown option \(flag)")
            }
        }
        guard let database, let key else { throw BenchUsageError("indicators needs --database and --key") }
        self.database = database
        keyFile = key
        self.repetitions = max(1, repetitions)
    }

    func run() async throws {
        let environment = [DatabaseLocation.environmentKey: database, PersonalDataCipher.keyFileEnvironmentKey: keyFile]
        try await ShegongInProcess.with(environment: environment) { db, _ in
            guard let nation = try await RegionStore(db).region(code: RegionPath.nationCode) else { return }
            let people = try await PersonStore(db: db, cipher: try PersonalDataCipher.loadOrCreate(path: keyFile).cipher).list(PersonFilter()).total
            var fast = IndicatorStore(db)
            fast.useMaintainedAggregates = true
            var slow = IndicatorStore(db)
            slow.useMaintainedAggregates = false
            let today = CivilDate.today()
            // As the dashboard asks: this year so far (for "new holders in the period").
            let period = DatePeriod(from: CivilDate(year: today.year, month: 1, day: 1)!, to: today)
            func time(_ store: IndicatorStore) async throws -> (ms: Double, values: [String]) {
                var samples: [Double] = []
                var values: [String] = []
                for _ in 0..<repetitions {
                    let start = DispatchTime.now().uptimeNanoseconds
                    values = []
                    for definition in IndicatorCatalogue.shipped {
                        let result = try await store.evaluate(definition, region: nation, asOf: today, period: period)
                        values.append("\(definition.id)=\(result.value)")
                    }
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
                return (median(samples), values)
            }
            let a = try await time(fast)
            let b = try await time(slow)
            print("root dashboard, \(IndicatorCatalogue.shipped.count) shipped indicators, nation, \(people) people (\(DatabaseLocation(setting: database)))")
            print(String(format: "  maintained aggregates     %.1f ms   (median of %d)", a.ms, repetitions))
            print(String(format: "  people scanned            %.1f ms   (median of %d)", b.ms, repetitions))
            print(String(format: "  speed-up                  %.0f×   (goal ≥ 20×: %@)", b.ms / a.ms, b.ms / a.ms >= 20 ? "met" : "MISSED"))
            print("  same values               \(a.values == b.values ? "OK" : "MISMATCH")")
        }
    }
}

struct BenchUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
