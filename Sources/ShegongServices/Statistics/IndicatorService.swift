import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Indicators over a region in the caller's scope: an indicator's value there, and the child
/// regions ranked by it (the dashboard's ranking table, the API). Reading only; nothing to audit
/// but a region out of scope.
public struct IndicatorService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)

    /// The value of `definition` for `region` (in the caller's scope, else the audited 404) on `asOf`.
    public func value(_ definition: IndicatorDefinition, in region: Region, asOf: CivilDate, period: DatePeriod?) async throws -> IndicatorResult {
        try await requireReadable(definition, region)
        return try await IndicatorStore(await context.readDatabase(for: caller)).evaluate(definition, region: region, asOf: asOf, period: period)
    }

    /// The children of `region` ranked by `definition` on `asOf` (`IndicatorRanking`). The region
    /// must be in the caller's scope (the audited 404 otherwise); its children then are too.
    public func ranking(_ definition: IndicatorDefinition, in region: Region, asOf: CivilDate, period: DatePeriod?,
                        descending: Bool = true) async throws -> IndicatorRanking {
        try await requireReadable(definition, region)
        return try await IndicatorRanking.load(db: await context.readDatabase(for: caller), definition: definition, region: region, asOf: asOf,
                                               period: period, descending: descending)
    }

    private func requireReadable(_ definition: IndicatorDefinition, _ region: Region) async throws {
        try await context.require(caller, Self.readers, "indicator", definition.id)
        try await context.requireReadable(caller, region)
    }
}
