import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Indicators over a region in the caller's scope: the child regions ranked by an indicator (the
/// dashboard's ranking table). Reading only; nothing to audit but a region out of scope.
public struct IndicatorService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)

    /// The children of `region` ranked by `definition` on `asOf` (`IndicatorRanking`). The region
    /// must be in the caller's scope (the audited 404 otherwise); its children then are too.
    public func ranking(_ definition: IndicatorDefinition, in region: Region, asOf: CivilDate, period: DatePeriod?,
                        descending: Bool = true) async throws -> IndicatorRanking {
        try await context.require(caller, Self.readers, "indicator", definition.id)
        guard ServiceContext.mayRead(caller.scope, region) else {
            throw try await context.outOfScope(caller, "region", region.code, what: .region, region.code)
        }
        return try await IndicatorRanking.load(db: context.db, definition: definition, region: region, asOf: asOf,
                                               period: period, descending: descending)
    }
}
