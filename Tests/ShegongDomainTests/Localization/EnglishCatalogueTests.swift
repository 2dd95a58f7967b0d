import Foundation
import Testing
@testable import ShegongDomain

/// What the English pages show for values the domain keeps in Chinese: the kinds of organisation
/// and the indicators' units.
@Suite struct EnglishCatalogueTests {
    @Test func everyKindOfOrganisationHasItsNameInBothLanguages() {
        for kind in OrganizationKind.allCases {
            #expect(Catalogue.standard.defines(kind.catalogueKey, in: .en), "\(kind.rawValue)")
            #expect(kind.localizedName(.zhHans) == kind.rawValue)
        }
        #expect(OrganizationKind.elderlyCareInstitution.localizedName(.en) == "Elderly-care institution")
    }

    @Test func anIndicatorsFigureCarriesItsUnitInThePagesLanguage() throws {
        for definition in IndicatorCatalogue.shipped {
            #expect(Catalogue.standard.defines("indicator.value.\(definition.id)", in: .en), "\(definition.id)")
            // The Chinese is the figure and the definition's own unit, so the two cannot drift apart.
            #expect(definition.valueText(12.5, .zhHans) == IndicatorNumber.format(12.5, decimals: definition.decimals) + definition.unit)
            #expect(!definition.valueText(12.5, .en).unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(definition.id)")
        }
        let perOlder = try #require(IndicatorCatalogue.shipped.first { $0.id == "social_workers_per_1000_older_people" })
        #expect(perOlder.valueText(1.234, .en) == "1.23 per 1,000 older people")
        #expect(perOlder.valueText(1.234, .zhHans) == "1.23人/千名老年人")
    }
}
