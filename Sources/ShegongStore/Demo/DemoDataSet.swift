import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The stages of loading the demo, in order.
public enum DemoStep: Sendable, Equatable {
    case regionsAndEmployers
    case people(read: Int, of: Int)
    case plansSitesAndFigures
}

/// The demo data set (docs/conventions.md §7 `demo`): the three jurisdictions of the source documents — Hubei
/// with 荆州市 and 恩施州咸丰县, 酒泉市 with its 7 county-level units, 宣城市 with its 7 — their
/// townships and communities, employers, and N synthetic people with valid IDs and certificates.
/// Deterministic: the same seed gives the same people, so loading it twice changes nothing.
public struct DemoDataSet: Sendable {
    public var people: Int
    public var seed: UInt64
    /// Whether to add the demo's progress reports with evidence files (`DemoDataSet+Reports`).
    public var progressReports: Bool
    /// Told where loading has got to, so `shegong demo` can show it (it takes half a minute).
    public var progress: (@Sendable (DemoStep) -> Void)?

    public init(people: Int = 20_000, seed: UInt64 = 2025, progressReports: Bool = true) {
        self.people = people
        self.seed = seed
        self.progressReports = progressReports
    }

    /// County-level units whose people the demo generates: 荆州市's, 咸丰县, 酒泉市's and 宣城市's.
    public static let jurisdictions: [(name: String, code: String)] = [
        ("湖北省荆州市", "421000"), ("湖北省恩施州咸丰县", "422826"), ("甘肃省酒泉市", "620900"), ("安徽省宣城市", "341800"),
    ]

    public struct Summary: Sendable {
        public var regionsAdded: Int
        public var organizationsAdded: Int
        public var report: CensusImportReport
        /// Issue 5: seed plans, exam figures, Jiuquan's practice base and pilots, demo statistics.
        public var plansLoaded = 0
        public var sitesAdded = 0
        public var statisticsWritten = 0
        public var reportsAdded = 0
        public var pilotsLoaded = 0
        /// Issue 13: registration periods (with the demo's recognised learning and degree study).
        public var registrationsAdded = 0
    }

    public func load(db: any Database, cipher: PersonalDataCipher, now: Date = Date()) async throws -> Summary {
        progress?(.regionsAndEmployers)
        let regionsAdded = try await loadGeography(db: db, now: now)
        let organizationsAdded = try await loadOrganizations(db: db, now: now)
        let directory = try await RegionStore(db).directory()
        let places = Self.places(in: directory)
        guard !places.isEmpty else { throw StoreError(.invalid, code: "demo.regions") }
        let organizations = try await db.sql.select().columns("name", "credit_code", "kind", "region_code").from("organizations")
            .where("credit_code", .isNot, SQLLiteral.null).orderBy("credit_code").all().map {
                DemoEmployer(name: try $0.decode(column: "name"), code: try $0.decode(column: "credit_code"),
                             kind: try $0.decode(column: "kind"), county: try $0.decode(column: "region_code"))
            }
        let reader = DemoPeopleReader(count: people, seed: seed, places: places, employers: organizations, names: try Self.names(),
                                      today: CivilDate.today(now: now))
        var importer = CensusImporter(db: db, cipher: cipher)
        importer.batchSize = 2_000
        let (progress, people) = (self.progress, self.people)
        importer.progress = { rows in progress?(.people(read: rows, of: people)) }
        // The demo's people have been in post since before the seed policies took effect.
        importer.postsSince = CivilDate(year: 2024, month: 1, day: 1)
        let report = try await importer.run(reader: reader, fileName: "demo --people \(people) --seed \(seed)", format: "demo",
                                            dryRun: false, actor: "demo", source: "demo", now: now)
        var summary = Summary(regionsAdded: regionsAdded, organizationsAdded: organizationsAdded, report: report)
        if report.succeeded {
            progress?(.plansSitesAndFigures)
            summary.plansLoaded = try await PlanSeeds.load(db: db, now: now).plans
            summary.sitesAdded = try await PracticeSiteStore(db: db).loadJiuquanSeeds(now: now)
            summary.statisticsWritten = try await Self.loadStatistics(db: db, now: now)
            if progressReports { summary.reportsAdded = try await Self.loadReports(db: db, now: now) }
            summary.pilotsLoaded = try await Self.loadPilots(db: db, cipher: cipher, now: now)
            _ = try await loadBasesAndPosts(db: db, cipher: cipher, now: now)
            summary.registrationsAdded = try await Self.loadContinuingEducation(db: db, now: now)
            _ = try await Self.loadTraining(db: db, now: now)
        }
        return summary
    }

    static func resource(_ name: String) throws -> String {
        let url = Bundle.module.url(forResource: (name as NSString).deletingPathExtension, withExtension: "tsv", subdirectory: "Resources/demo")!
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func tsv(_ name: String) throws -> [[String]] {
        try resource(name).split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Townships (9 digits) and communities (12 digits) of the demo areas; existing codes are kept.
    func loadGeography(db: any Database, now: Date) async throws -> Int {
        var directory = try await RegionStore(db).directory()
        var added: [Region] = []
        var names: [RegionName] = []
        for fields in try Self.tsv("townships.tsv") where fields.count >= 3 {
            let (code, name, parentCode) = (fields[0], fields[1], fields[2])
            guard directory[code] == nil, let parent = directory[parentCode],
                  case .success(let parsed) = RegionCode.parse(code) else { continue }
            var path = parent.path
            path[parsed.level] = code
            let region = Region(code: code, name: name, level: parsed.level, parentCode: parentCode, path: path,
                                validFrom: nil, validTo: nil, placeholder: false, source: "demo")
            directory.insert(region)
            added.append(region)
            names.append(RegionName(code: code, name: name, validFrom: nil, validTo: nil))
        }
        let store = RegionStore(db)
        try await store.insert(added, now: now)
        try await store.insert(names: names)
        return added.count
    }

    /// Employers with deterministic credit codes (GB 32100: authority, category, region, body, check).
    func loadOrganizations(db: any Database, now: Date) async throws -> Int {
        var rows: [[any Encodable & Sendable]] = []
        let stamp = Timestamp.string(now)
        for (i, fields) in try Self.tsv("organizations.tsv").enumerated() where fields.count >= 3 {
            let (name, kind, county) = (fields[0], fields[1], fields[2])
            let code = Self.creditCode(kind: kind, county: county, serial: i + 1)
            if try await db.sql.select().column("id").from("organizations").where("credit_code", .equal, code).first() != nil { continue }
            rows.append([RecordID.make(), name, code, kind, county, stamp, stamp])
        }
        try await db.sql.insertChunked(into: "organizations",
                                       columns: ["id", "name", "credit_code", "kind", "region_code", "created_at", "updated_at"], rows: rows)
        return rows.count
    }

    static func creditCode(kind: String, county: String, serial: Int) -> String {
        // Registration authority and category: 1x 机构编制 (机关 11, 事业单位 12, 群团 13), 5x 民政 (社会团体 51,
        // 民办非企业单位 52), 9x 工商 (企业 91).
        let prefix: String
        switch kind {
        case "行政机关": prefix = "11"
        case "事业单位", "学校", "医院": prefix = "12"
        case "群团组织": prefix = "13"
        case "社工机构", "养老机构": prefix = "52"
        case "社区": prefix = "12"
        default: prefix = "91"
        }
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var value = UInt64(serial) &* 2_654_435_761 &+ 97_531
        var body = ""
        for _ in 0..<9 {
            body.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
            value &+= 7
        }
        let first17 = prefix + county + body
        return first17 + String(SocialCreditCode.checkCharacter(for: first17))
    }

    /// Where demo people work: every community, and townships that have none listed.
    public static func places(in directory: RegionDirectory) -> [Region] {
        let counties = Set(jurisdictions.map(\.code))
        let all = directory.regions.values.filter { region in
            (region.level == .township || region.level == .community)
                && [region.path.county, region.path.city].contains { $0.map(counties.contains) ?? false }
        }
        let withChildren = Set(all.compactMap { $0.level == .community ? $0.parentCode : nil })
        return all.filter { $0.level == .community || !withChildren.contains($0.code) }.sorted { $0.code < $1.code }
    }

    static func names() throws -> (surnames: [String], given: [String]) {
        let rows = try tsv("names.tsv")
        return (rows.filter { $0.first == "surname" }.map { $0[1] }, rows.filter { $0.first == "given" }.map { $0[1] })
    }
}

struct DemoEmployer: Sendable {
    var name: String
    var code: String
    var kind: String?
    var county: String?
}

/// SplitMix64: small, fast, and the same sequence on every machine (also the tests' generator).
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var roll = int(0...(items.reduce(0) { $0 + $1.1 } - 1))
        for (item, weight) in items {
            if roll < weight { return item }
            roll -= weight
        }
        return items[0].0
    }
}

/// Synthetic census rows made on demand, so `--people 1000000` needs no more memory than 1,000.
final class DemoPeopleReader: SpreadsheetRowReader {
    private var random: SeededRandom
    private let count: Int
    private let places: [Region]
    private let employersByCounty: [String: [DemoEmployer]]
    private let names: (surnames: [String], given: [String])
    private let today: CivilDate
    private var produced = -1
    private var usedIDs = Set<String>()

    init(count: Int, seed: UInt64, places: [Region], employers: [DemoEmployer], names: (surnames: [String], given: [String]), today: CivilDate) {
        random = SeededRandom(seed: seed)
        self.count = count
        self.places = places
        employersByCounty = Dictionary(grouping: employers, by: { $0.county ?? "" })
        self.names = names
        self.today = today
    }

    func next() throws -> SpreadsheetRow? {
        produced += 1
        if produced == 0 { return SpreadsheetRow(number: 1, cells: CensusColumn.headerCells) }
        guard produced <= count else { return nil }
        return SpreadsheetRow(number: produced + 1, cells: makePerson(produced).cells())
    }

    private func makePerson(_ n: Int) -> CensusRecord {
        let place = random.pick(places)
        let county = place.path.county ?? String(place.code.prefix(6))
        var id: ResidentID
        repeat {
            let birth = CivilDate(year: random.int(1965...2003), month: random.int(1...12), day: random.int(1...28))!
            id = ResidentID.make(addressCode: county, birthDate: birth, sequence: random.int(1...999))!
        } while usedIDs.contains(id.value)
        usedIDs.insert(id.value)
        let name = random.pick(names.surnames) + random.pick(names.given) + (random.chance(0.6) ? random.pick(names.given) : "")
        let mobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "177", "180", "181", "186", "187", "189", "199"]
        let mobile = random.pick(mobilePrefixes) + String(format: "%08d", random.int(0...99_999_999))
        let category: PostCategory = random.weighted([
            (.communityWorker, 38), (.villageCadre, 14), (.socialWorkOrganization, 14), (.publicInstitution, 10),
            (.massOrganization, 5), (.laborDispatch, 8), (.publicWelfarePost, 6), (.other, 5),
        ])
        var employer: DemoEmployer?
        if category != .communityWorker && category != .villageCadre, let local = employersByCounty[county], !local.isEmpty {
            let wanted: [String] = category == .socialWorkOrganization ? ["社工机构"] : ["事业单位", "学校", "医院", "养老机构", "群团组织", "行政机关"]
            let matching = local.filter { wanted.contains($0.kind ?? "") }
            employer = random.pick(matching.isEmpty ? local : matching)
        }
        var fields: [ServiceField] = category == .communityWorker ? [.community] : []
        for _ in 0..<random.int(0...2) { fields.append(random.pick(ServiceField.allCases)) }
        let education: EducationLevel = random.weighted([
            (.juniorHighOrBelow, 3), (.seniorHigh, 10), (.secondaryVocational, 8), (.juniorCollege, 34), (.bachelor, 40), (.master, 5),
        ])
        // Holders: about 40 % overall, more among social-work organisation staff.
        var certificate: CensusCertificate?
        if random.chance(category == .socialWorkOrganization ? 0.7 : 0.36) {
            let level: CertificateLevel = random.weighted([(.assistant, 68), (.intermediate, 29), (.senior, 3)])
            let year = random.int(2012...min(today.year, 2025))
            let issue = CivilDate(year: year, month: random.int(1...12), day: random.int(1...28))!
            let date = min(issue, today)
            let number = "\(date.year)\(String(county.prefix(2)))\(level.rank)\(String(format: "%07d", n))"
            certificate = CensusCertificate(level: level, number: number, issueDate: date)
        }
        return CensusRecord(
            row: n + 1, name: name, residentID: id, mobile: try? MobileNumber.parse(mobile).get(), regionCode: place.code,
            employerName: employer?.name, employerCode: employer.flatMap { try? SocialCreditCode.parse($0.code).get() },
            postCategory: category, serviceFields: fields, education: education,
            socialWorkDegree: random.chance(education.rank >= EducationLevel.juniorCollege.rank ? 0.3 : 0.05),
            certificate: certificate)
    }
}
