import Foundation
import ShegongDomain

/// An in-memory snapshot of the region tree, for validating and routing many rows at once
/// (an import checks every row's 地区代码 here instead of asking the database per row).
public struct RegionDirectory: Sendable {
    public private(set) var regions: [String: Region]

    public init(regions: [Region]) {
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
    }

    public subscript(code: String) -> Region? { regions[code] }

    /// Why a code cannot hold people, or nil when it can: people work in a county-level unit,
    /// a township or a community that exists, is in force and is not a placeholder such as 市辖区.
    public func problemForPersonRegion(_ code: String, year: Int) -> CatalogueMessage? {
        guard let region = regions[code] else { return CatalogueMessage("census.region.unknown", code) }
        if region.placeholder { return CatalogueMessage("census.region.placeholder", code, region.name) }
        if region.level.rawValue < RegionLevel.county.rawValue {
            return CatalogueMessage("census.region.too_high", code, region.name)
        }
        if !region.isValid(inYear: year) {
            return CatalogueMessage("census.region.abolished", code, region.name, region.validTo.map(String.init) ?? "")
        }
        return nil
    }

    mutating func insert(_ region: Region) { regions[region.code] = region }
}

extension RegionDirectory {
    /// Builds the rows of the national GB/T 2260 list from the shipped TSV
    /// (`code	name	valid_from	valid_to	placeholder`, one line per name period).
    public static func nationalRegions(tsv text: String) throws -> (regions: [Region], names: [RegionName]) {
        var periods: [String: [RegionName]] = [:]
        var placeholders: [String: Bool] = [:]
        var order: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "code" { continue }
            guard fields.count >= 4, fields[0].count == 6, fields[0].allSatisfy(\.isNumber) else {
                throw RegionDataError(line: index + 1, message: "bad region line: \(line)")
            }
            let code = fields[0]
            if periods[code] == nil { order.append(code) }
            periods[code, default: []].append(RegionName(code: code, name: fields[1], validFrom: Int(fields[2]), validTo: Int(fields[3])))
            placeholders[code] = (placeholders[code] ?? false) || (fields.count > 4 && fields[4] == "1")
        }
        func level(of code: String) -> RegionLevel {
            if code.hasSuffix("0000") { return .province }
            if code.hasSuffix("00") { return .city }
            return .county
        }
        var regions: [String: Region] = [:]
        // Parents before children: provinces, then cities, then counties.
        for code in order.sorted(by: { (level(of: $0).rawValue, $0) < (level(of: $1).rawValue, $1) }) {
            let names = periods[code]!.sorted { ($0.validFrom ?? 0) < ($1.validFrom ?? 0) }
            let current = names.last!
            let lvl = level(of: code)
            var parent: String?
            switch lvl {
            case .province: parent = nil
            case .city: parent = String(code.prefix(2)) + "0000"
            default:
                let city = String(code.prefix(4)) + "00"
                if let c = regions[city], !c.placeholder { parent = city } else { parent = String(code.prefix(2)) + "0000" }
            }
            var path = parent.flatMap { regions[$0]?.path } ?? RegionPath()
            path[lvl] = code
            regions[code] = Region(
                code: code, name: current.name, level: lvl, parentCode: parent, path: path,
                validFrom: names.first!.validFrom, validTo: current.validTo,
                placeholder: placeholders[code] ?? false, source: "GB/T 2260")
        }
        let all = order.compactMap { regions[$0] }
        return (all, order.flatMap { periods[$0]! })
    }
}

public struct RegionName: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var validFrom: Int?
    public var validTo: Int?
}

public struct RegionDataError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}
