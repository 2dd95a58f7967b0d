import Foundation
import ShegongDomain
import ShegongStore

extension CensusService {
    /// Who may read a region's census figures: the accounts whose scope is drawn over regions.
    public static let figureReaders = Permission.read(.official, .departmentOperator)

    /// Certificate holders in `region` at the end of each of the `years` years before `asOf`, and
    /// on `asOf`: the statistics page's line. Dates without a value are left out. A region outside
    /// the caller's scope is answered like an unknown one (the audited 404).
    public func holdersByYear(in region: Region, asOf: CivilDate, years: Int) async throws -> [LineChart.Point] {
        try await context.require(caller, Self.figureReaders, "region", region.code)
        try await context.requireReadable(caller, region)
        let store = IndicatorStore(await context.readDatabase(for: caller))
        var dates = ((asOf.year - years)..<asOf.year).compactMap { CivilDate(year: $0, month: 12, day: 31) }
        dates.append(asOf)
        var points: [LineChart.Point] = []
        for date in dates {
            if let value = try await store.evaluate(IndicatorCatalogue.certificateHolders, region: region, asOf: date).value.number {
                points.append(LineChart.Point(date, value))
            }
        }
        return points
    }
}
