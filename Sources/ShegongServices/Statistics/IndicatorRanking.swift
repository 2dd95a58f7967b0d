import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Child regions ranked by an indicator (ties share a rank); those without a value come last,
/// unranked, with their reason. The API's `…/children` and the dashboard's ranking table.
public struct IndicatorRanking: Sendable {
    public struct Line: Sendable {
        public var rank: Int?
        public var result: IndicatorResult
    }
    public var parent: IndicatorResult
    public var children: [Line]

    public static func load(db: any Database, definition: IndicatorDefinition, region: Region, asOf: CivilDate,
                     period: DatePeriod?, descending: Bool = true) async throws -> IndicatorRanking {
        let store = IndicatorStore(db)
        let parent = try await store.evaluate(definition, region: region, asOf: asOf, period: period)
        var children: [IndicatorResult] = []
        for child in try await RegionStore(db).children(of: region.code) where child.isValid(inYear: asOf.year) {
            children.append(try await store.evaluate(definition, region: child, asOf: asOf, period: period))
        }
        let valued = children.filter { $0.value.number != nil }.sorted {
            let (a, b) = ($0.value.number!, $1.value.number!)
            return a != b ? (descending ? a > b : a < b) : $0.region.code < $1.region.code
        }
        var lines: [Line] = []
        var previous: Double?
        var rank = 0
        for (i, result) in valued.enumerated() {
            if result.value.number != previous { rank = i + 1 }
            previous = result.value.number
            lines.append(Line(rank: rank, result: result))
        }
        lines += children.filter { $0.value.number == nil }.map { Line(rank: nil, result: $0) }
        return IndicatorRanking(parent: parent, children: lines)
    }
}
