import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Every statement about regions.
public struct RegionStore: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) { sql = db.sql }
    public init(sql: any SQLDatabase) { self.sql = sql }

    static let columns = ["code", "name", "level", "parent_code", "province_code", "city_code", "county_code", "township_code",
                          "valid_from", "valid_to", "placeholder", "source", "created_at"]

    func insert(_ regions: [Region], now: Date) async throws {
        let created = Timestamp.string(now)
        try await sql.insertChunked(into: "regions", columns: Self.columns, rows: regions.map { r in
            [r.code, r.name, r.level.rawValue, r.parentCode, r.path.province, r.path.city, r.path.county, r.path.township,
             r.validFrom, r.validTo, r.placeholder, r.source, created] as [any Encodable & Sendable]
        })
    }

    func insert(names: [RegionName]) async throws {
        try await sql.insertChunked(into: "region_names", columns: ["code", "name", "valid_from", "valid_to"], rows: names.map {
            [$0.code, $0.name, $0.validFrom, $0.validTo] as [any Encodable & Sendable]
        })
    }

    /// The whole tree, for bulk validation.
    public func directory() async throws -> RegionDirectory {
        RegionDirectory(regions: try await sql.select().column("*").from("regions").all().map(Self.region(from:)))
    }

    public func region(code: String) async throws -> Region? {
        if code == RegionPath.nationCode { return Self.nation }
        return try await sql.select().column("*").from("regions").where("code", .equal, code).first().map(Self.region(from:))
    }

    /// The regions of `codes` that exist, by code, in one read (the nation without reading).
    public func regions(codes: [String]) async throws -> [String: Region] {
        var found: [String: Region] = [:]
        if codes.contains(RegionPath.nationCode) { found[RegionPath.nationCode] = Self.nation }
        let others = Set(codes).subtracting([RegionPath.nationCode]).sorted()
        guard !others.isEmpty else { return found }
        // Chunks keep a bound on bind parameters, whatever a caller asks.
        for start in stride(from: 0, to: others.count, by: 1_000) {
            let chunk = Array(others[start..<min(start + 1_000, others.count)])
            for region in try await sql.select().column("*").from("regions").where("code", .in, chunk).all().map(Self.region(from:)) {
                found[region.code] = region
            }
        }
        return found
    }

    /// Direct children, placeholders left out; for the nation, the provinces.
    public func children(of code: String) async throws -> [Region] {
        var query = sql.select().column("*").from("regions").where("placeholder", .equal, false)
        if code == RegionPath.nationCode {
            query = query.where("level", .equal, RegionLevel.province.rawValue)
        } else {
            query = query.where("parent_code", .equal, code)
        }
        return try await query.orderBy("code").all().map(Self.region(from:))
    }

    public func names(of code: String) async throws -> [RegionName] {
        try await sql.select().columns("code", "name", "valid_from", "valid_to").from("region_names")
            .where("code", .equal, code).orderBy("valid_from").all().map {
                RegionName(code: try $0.decode(column: "code"), name: try $0.decode(column: "name"),
                           validFrom: try $0.decode(column: "valid_from"), validTo: try $0.decode(column: "valid_to"))
            }
    }

    /// Adds a township (9 digits, under a county) or a community (12 digits, under a township).
    /// The code must extend its parent's code, as GB/T 2260's township and village codes do.
    public func addLocal(code rawCode: String, name rawName: String, now: Date) async throws -> Region {
        let code = rawCode.trimmingCharacters(in: .whitespaces)
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard case .success(let parsed) = RegionCode.parse(code), parsed.level == .township || parsed.level == .community else {
            throw StoreError(.invalid, code: "region.code.invalid",
                             details: [.init(field: "code", code: "region.code.invalid", text: .init("region.code.invalid.field", "\(code)"))])
        }
        guard (1...50).contains(name.count) else {
            throw StoreError(.invalid, code: "region.name.invalid",
                             details: [.init(field: "name", code: "region.name.invalid")])
        }
        if try await region(code: code) != nil {
            throw StoreError(.conflict, code: "region.exists", text: .init("region.exists.code", "\(code)"))
        }
        let parentCode = parsed.level == .township ? String(code.prefix(6)) : String(code.prefix(9))
        guard let parent = try await region(code: parentCode), !parent.placeholder,
              parent.level == (parsed.level == .township ? .county : .township) else {
            throw StoreError(.invalid, code: "region.parent.missing", "\(parentCode)",
                             details: [.init(field: "code", code: "region.parent.missing", text: .init("region.parent.missing.field", "\(parentCode)"))])
        }
        var path = parent.path
        path[parsed.level] = code
        let region = Region(code: code, name: name, level: parsed.level, parentCode: parentCode, path: path,
                            validFrom: nil, validTo: nil, placeholder: false, source: "local")
        try await insert([region], now: now)
        try await insert(names: [RegionName(code: code, name: name, validFrom: nil, validTo: nil)])
        return region
    }

    /// Renames a region. The old name stays in `region_names` up to this year, so earlier
    /// reports keep the name they had (a rename is how GB/T 2260 changes appear, too).
    public func rename(code: String, to rawName: String, now: Date) async throws -> Region {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard (1...50).contains(name.count) else {
            throw StoreError(.invalid, code: "region.name.invalid",
                             details: [.init(field: "name", code: "region.name.invalid")])
        }
        guard code != RegionPath.nationCode, let region = try await region(code: code) else { throw StoreError.notFound(.region, code) }
        guard region.name != name else { return region }
        let year = CivilDate.today(now: now).year
        try await sql.update("region_names").set("valid_to", to: year).where("code", .equal, code)
            .where("valid_to", .is, SQLLiteral.null).run()
        try await insert(names: [RegionName(code: code, name: name, validFrom: year, validTo: nil)])
        try await sql.update("regions").set("name", to: name).where("code", .equal, code).run()
        return try await self.region(code: code)!
    }

    static let nation = Region(code: RegionPath.nationCode, name: "全国", level: .nation, parentCode: nil, path: RegionPath(),
                               validFrom: nil, validTo: nil, placeholder: false, source: "GB/T 2260")

    static func region(from row: any SQLRow) throws -> Region {
        let level = RegionLevel(rawValue: try row.decode(column: "level", as: Int.self)) ?? .county
        var path = RegionPath(province: try row.decode(column: "province_code"), city: try row.decode(column: "city_code"),
                              county: try row.decode(column: "county_code"), township: try row.decode(column: "township_code"))
        let code: String = try row.decode(column: "code")
        if level == .community { path.community = code }
        return Region(code: code, name: try row.decode(column: "name"), level: level,
                      parentCode: try row.decode(column: "parent_code"), path: path,
                      validFrom: try row.decode(column: "valid_from"), validTo: try row.decode(column: "valid_to"),
                      placeholder: try row.decode(column: "placeholder"), source: try row.decode(column: "source"))
    }
}
