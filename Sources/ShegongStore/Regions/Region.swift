import Foundation
import ShegongDomain

/// A region as the store knows it, with its path to the root.
public struct Region: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentCode: String?
    public var path: RegionPath
    public var validFrom: Int?
    public var validTo: Int?
    public var placeholder: Bool
    public var source: String

    /// In force in `year` (abolished codes stay in the tree so old counts still roll up).
    public func isValid(inYear year: Int) -> Bool {
        (validFrom.map { $0 <= year } ?? true) && (validTo.map { year <= $0 } ?? true)
    }
}

/// The codes of a region's ancestors, one per level, including the region itself.
/// Stored as columns on regions and people so that a subtree is one indexed equality.
public struct RegionPath: Codable, Sendable, Equatable {
    public var province: String?
    public var city: String?
    public var county: String?
    public var township: String?
    public var community: String?

    public init(province: String? = nil, city: String? = nil, county: String? = nil, township: String? = nil, community: String? = nil) {
        self.province = province
        self.city = city
        self.county = county
        self.township = township
        self.community = community
    }

    public subscript(level: RegionLevel) -> String? {
        get {
            switch level {
            case .nation: return RegionPath.nationCode
            case .province: return province
            case .city: return city
            case .county: return county
            case .township: return township
            case .community: return community
            }
        }
        set {
            switch level {
            case .nation: break
            case .province: province = newValue
            case .city: city = newValue
            case .county: county = newValue
            case .township: township = newValue
            case .community: community = newValue
            }
        }
    }

    /// The nation, then every ancestor down to the region itself: the keys a census count is added to.
    public var codesFromRoot: [String] {
        [RegionPath.nationCode] + [province, city, county, township, community].compactMap { $0 }
    }

    /// The code the whole country is filed under in aggregates and in `?region=` parameters.
    public static let nationCode = "000000"

    /// The column that holds this level's code, on `regions` and on `people`.
    public static func column(for level: RegionLevel) -> String? {
        switch level {
        case .nation: return nil
        case .province: return "province_code"
        case .city: return "city_code"
        case .county: return "county_code"
        case .township: return "township_code"
        case .community: return "region_code"
        }
    }
}
