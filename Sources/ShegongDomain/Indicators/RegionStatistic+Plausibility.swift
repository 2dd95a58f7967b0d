import Foundation

/// Figures one indicator divides (issue #17 §4): a part can never exceed its whole. 130 schools
/// with social-work service out of 120 schools would show coverage of 108.3% as “met”; such a
/// year's figures are refused with the reason, with no override (docs/indicators.md "Plausible
/// figures"): the department corrects whichever figure is wrong.
extension RegionStatistic {
    /// Each part with the whole it is counted out of.
    public static let partsOfWholes: [(part: RegionStatistic, whole: RegionStatistic)] = [
        (.schoolsWithSocialWork, .schools),
    ]

    /// A part above its whole among a region's figures for one year.
    public struct Implausible: Hashable, Sendable {
        public var part: RegionStatistic
        public var partValue: Int
        public var whole: RegionStatistic
        public var wholeValue: Int
    }

    /// Every part above its whole in `figures` (a region's figures for one year, as they would
    /// stand after the change).
    public static func implausible(_ figures: [RegionStatistic: Int]) -> [Implausible] {
        partsOfWholes.compactMap { pair in
            guard let part = figures[pair.part], let whole = figures[pair.whole], part > whole else { return nil }
            return Implausible(part: pair.part, partValue: part, whole: pair.whole, wholeValue: whole)
        }
    }
}
