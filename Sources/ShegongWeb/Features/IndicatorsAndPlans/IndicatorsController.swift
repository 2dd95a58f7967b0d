import Fluent
import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Indicator definitions, values for a region subtree as of a date, and child-region rankings.
struct IndicatorsController: RouteCollection {
    struct DefinitionDTO: Codable {
        var id: String
        var chineseName: String
        var englishName: String
        var formula: String
        var englishFormula: String
        var numerator: IndicatorTerm
        var denominator: IndicatorTerm?
        var factor: Int
        var unit: String
        var decimals: Int
        var needsPeriod: Bool
        var additive: Bool
        var note: String?
        /// A training breakdown (`training_coverage_tier_county`): the overall indicator it splits, by what and which value.
        var breakdown: Breakdown?
        struct Breakdown: Codable {
            var of: String
            var dimension: String
            var code: String
        }
        init(_ d: IndicatorDefinition) {
            id = d.id; chineseName = d.chineseName; englishName = d.englishName; formula = d.chineseFormula
            englishFormula = d.englishFormula; numerator = d.numerator; denominator = d.denominator; factor = d.factor.rawValue
            unit = d.unit; decimals = d.decimals; needsPeriod = d.needsPeriod; additive = d.isAdditive; note = d.note
            breakdown = IndicatorCatalogue.TrainingBreakdown.of(id: d.id)
                .map { Breakdown(of: $0.overall.id, dimension: $0.dimension.name, code: $0.dimension.code) }
        }
    }
    struct Ranked: Codable {
        var rank: Int?
        var value: IndicatorValueDTO
    }
    struct Ranking: Codable {
        var indicator: DefinitionDTO
        var parent: IndicatorValueDTO
        var order: String
        var children: [Ranked]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.indicators) { _ in
            try JSONResponse.make(IndicatorCatalogue.shipped.map(DefinitionDTO.init))
        }
        routes.on(.indicator) { req in
            let definition = try req.indicatorParameter()
            let region = try await req.regionParameter()
            let asOf = try req.queryDate("asOf", default: .today())!
            let period = try req.evaluationPeriod(for: definition, asOf: asOf)
            let result = try await req.indicators.value(definition, in: region, asOf: asOf, period: period)
            return try JSONResponse.make(IndicatorValueDTO(result))
        }
        // Child regions ranked by the indicator; those without a value come last, with their reason.
        routes.on(.indicatorChildren) { req in
            let definition = try req.indicatorParameter()
            let region = try await req.regionParameter()
            let asOf = try req.queryDate("asOf", default: .today())!
            let period = try req.evaluationPeriod(for: definition, asOf: asOf)
            let order = req.queryString("order") ?? "desc"
            guard order == "desc" || order == "asc" else { throw APIError.badRequest("request.query", "order 须为 desc 或 asc", field: "order") }
            let ranking = try await req.indicators.ranking(definition, in: region, asOf: asOf, period: period, descending: order == "desc")
            let ranked = ranking.children.map { Ranked(rank: $0.rank, value: IndicatorValueDTO($0.result)) }
            return try JSONResponse.make(Ranking(indicator: DefinitionDTO(definition), parent: IndicatorValueDTO(ranking.parent), order: order, children: ranked))
        }
    }
}

extension Request {
    /// The indicator use cases for the signed-in account (`IndicatorService`).
    var indicators: IndicatorService {
        get throws { IndicatorService(context: services, caller: try caller) }
    }
}
