import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A practice base (实践基地): where it is, its own level (省级, 市级, 县级, 院校) and who hosts it.
public struct PracticeBaseInfo: Codable, Sendable, Equatable {
    public var id: String
    public var regionCode: String
    public var name: String
    /// The base's level (`PracticeBaseLevel` raw value: province, city, county, college; unspecified
    /// for a base registered before levels were kept) and its Chinese name.
    public var level: String
    public var levelName: String
    public var host: String?
    public var established: String?
}

/// A "专业社工+志愿服务" fusion pilot community (融合试点社区) and its good-practice cases.
public struct PilotCommunityInfo: Codable, Sendable, Equatable {
    public var id: String
    public var regionCode: String
    public var name: String
    /// The pilot's tier (`PilotTier` raw value: province, city, county; unspecified for a pilot
    /// registered before tiers were kept) and its Chinese name.
    public var tier: String
    public var tierName: String
    public var goodPracticeCases: Int
    public var established: String?
}

/// Practice bases and pilot communities: the minimal register the indicators that count them need.
public struct PracticeSiteStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public struct BaseInput: Codable, Sendable {
        public var regionCode: String
        public var name: String
        /// The base's own level: 省级, 市级, 县级, 院校 or province, city, county, college (`PracticeBaseLevel.parse`).
        public var level: String?
        public var host: String?
        public var established: String?
        public init(regionCode: String, name: String, level: String?, host: String? = nil, established: String? = nil) {
            self.regionCode = regionCode
            self.name = name
            self.level = level
            self.host = host
            self.established = established
        }
    }

    public struct PilotInput: Codable, Sendable {
        public var regionCode: String
        public var name: String
        /// Whose pilot it is: 全省试点, 全市试点, 全县试点 or province, city, county (`PilotTier.parse`).
        public var tier: String?
        public var goodPracticeCases: Int?
        public var established: String?
        public init(regionCode: String, name: String, tier: String?, goodPracticeCases: Int? = nil, established: String? = nil) {
            self.regionCode = regionCode
            self.name = name
            self.tier = tier
            self.goodPracticeCases = goodPracticeCases
            self.established = established
        }
    }

    public func bases(in region: Region) async throws -> [PracticeBaseInfo] {
        try await scoped(db.sql.select().columns("id", "region_code", "name", "base_level", "host", "established").from("practice_bases"), region)
            .orderBy("region_code").orderBy("name").all().map { row in
                let level = PracticeBaseLevel(rawValue: try row.decode(column: "base_level", as: String.self)) ?? .unspecified
                return PracticeBaseInfo(id: try row.decode(column: "id"), regionCode: try row.decode(column: "region_code"),
                                        name: try row.decode(column: "name"), level: level.rawValue, levelName: level.chineseName,
                                        host: try row.decode(column: "host"), established: try row.decode(column: "established"))
            }
    }

    public func pilots(in region: Region) async throws -> [PilotCommunityInfo] {
        try await scoped(db.sql.select().columns("id", "region_code", "name", "tier", "good_practice_cases", "established").from("pilot_communities"), region)
            .orderBy("region_code").orderBy("name").all().map { row in
                let tier = PilotTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .unspecified
                return PilotCommunityInfo(id: try row.decode(column: "id"), regionCode: try row.decode(column: "region_code"),
                                          name: try row.decode(column: "name"), tier: tier.rawValue, tierName: tier.chineseName,
                                          goodPracticeCases: try row.decode(column: "good_practice_cases", as: Int.self),
                                          established: try row.decode(column: "established"))
            }
    }

    func scoped(_ query: SQLSelectBuilder, _ region: Region) -> SQLSelectBuilder {
        guard let column = RegionPath.column(for: region.level) else { return query }
        return query.where(SQLColumn(column), .equal, SQLBind(region.code))
    }

    /// Validates the fields every site has; returns the region and the established date.
    func common(regionCode: String, name: String, established: String?, details: inout [StoreError.Detail]) async throws -> (Region?, String?) {
        let region = try await RegionStore(db).region(code: regionCode.trimmingCharacters(in: .whitespaces))
        if let problem = RegionStatisticStore.problem(region: region, code: regionCode) {
            details.append(.init(field: "regionCode", code: "region.invalid", text: problem))
        }
        if !(1...100).contains(name.trimmingCharacters(in: .whitespaces).count) {
            details.append(.init(field: "name", code: "name.invalid"))
        }
        var date: String?
        if let raw = established?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let parsed = CivilDate(censusText: raw) {
                if parsed > CivilDate.today() {
                    details.append(.init(field: "established", code: "date.future"))
                }
                date = parsed.description
            } else {
                details.append(.init(field: "established", code: "date.invalid", "\(raw)"))
            }
        }
        return (region, date)
    }

    public func createBase(_ input: BaseInput, now: Date = Date()) async throws -> PracticeBaseInfo {
        var details: [StoreError.Detail] = []
        let (region, established) = try await common(regionCode: input.regionCode, name: input.name, established: input.established, details: &details)
        let level = input.level.flatMap(PracticeBaseLevel.parse)
        if level == nil {
            details.append(.init(field: "level", code: "practice_base.level.invalid"))
        }
        if let host = input.host, host.count > 100 {
            details.append(.init(field: "host", code: "practice_base.host.invalid"))
        }
        guard details.isEmpty, let region, let level else { throw StoreError(.invalid, code: "validation", text: .init("validation.practice_base"), details: details) }
        let id = RecordID.make()
        let name = input.name.trimmingCharacters(in: .whitespaces)
        let host = input.host.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        // `level` (migration 0010) is read by nothing since 0045; it keeps the nearest region level.
        let legacyLevel: RegionLevel = switch level {
        case .province: .province
        case .city: .city
        case .county: .county
        case .college, .unspecified: region.level
        }
        try await db.sql.insert(into: "practice_bases")
            .columns("id", "region_code", "province_code", "city_code", "county_code", "township_code", "name", "level", "base_level",
                     "host", "established", "created_at")
            .values(id, region.code, region.path.province, region.path.city, region.path.county, region.path.township, name,
                    legacyLevel.rawValue, level.rawValue, host, established, Timestamp.string(now)).run()
        return PracticeBaseInfo(id: id, regionCode: region.code, name: name, level: level.rawValue, levelName: level.chineseName,
                                host: host, established: established)
    }

    public func createPilot(_ input: PilotInput, now: Date = Date()) async throws -> PilotCommunityInfo {
        var details: [StoreError.Detail] = []
        let (region, established) = try await common(regionCode: input.regionCode, name: input.name, established: input.established, details: &details)
        let tier = input.tier.flatMap(PilotTier.parse)
        if tier == nil {
            details.append(.init(field: "tier", code: "pilot.tier.invalid"))
        }
        let cases = input.goodPracticeCases ?? 0
        if cases < 0 || cases > 10_000 {
            details.append(.init(field: "goodPracticeCases", code: "pilot.cases.invalid"))
        }
        if let region, region.level < .county {
            details.append(.init(field: "regionCode", code: "pilot.region.level"))
        }
        guard details.isEmpty, let region, let tier else { throw StoreError(.invalid, code: "validation", text: .init("validation.pilot"), details: details) }
        let id = RecordID.make()
        let name = input.name.trimmingCharacters(in: .whitespaces)
        try await db.sql.insert(into: "pilot_communities")
            .columns("id", "region_code", "province_code", "city_code", "county_code", "township_code", "name", "tier", "good_practice_cases",
                     "established", "created_at")
            .values(id, region.code, region.path.province, region.path.city, region.path.county, region.path.township, name,
                    tier.rawValue, cases, established, Timestamp.string(now)).run()
        return PilotCommunityInfo(id: id, regionCode: region.code, name: name, tier: tier.rawValue, tierName: tier.chineseName,
                                  goodPracticeCases: cases, established: established)
    }

    /// Jiuquan's named sites (the plan's measures 2.2 and 5.1): the city practice base at 肃州区金泉路社区
    /// (全市…实践基地: 市级), and the fusion pilots 南苑社区 and 梨园社区 (全省融合试点项目: provincial
    /// pilots, not the city's own). The article gives no dates and no case counts: established is
    /// left empty and the pilots start with 0 good-practice cases. Idempotent.
    public func loadJiuquanSeeds(now: Date = Date()) async throws -> Int {
        var added = 0
        let jiuquan = try await RegionStore(db).region(code: "620900")
        guard let jiuquan else { return 0 }
        let existingBases = try await bases(in: jiuquan)
        let existingPilots = try await pilots(in: jiuquan)
        let base = BaseInput(regionCode: "620902003001", name: "酒泉市社会工作专业人员实践基地（肃州区金泉路社区）", level: "市级", host: "肃州区金泉路社区")
        if try await RegionStore(db).region(code: base.regionCode) != nil, !existingBases.contains(where: { $0.regionCode == base.regionCode && $0.name == base.name }) {
            _ = try await createBase(base, now: now)
            added += 1
        }
        let pilots = AddPracticeBaseLevelAndPilotTier.provincialDemoPilots.map { PilotInput(regionCode: $0.region, name: $0.name, tier: "province") }
        for pilot in pilots {
            guard try await RegionStore(db).region(code: pilot.regionCode) != nil,
                  !existingPilots.contains(where: { $0.regionCode == pilot.regionCode && $0.name == pilot.name }) else { continue }
            _ = try await createPilot(pilot, now: now)
            added += 1
        }
        return added
    }
}
