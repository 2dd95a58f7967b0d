import Vapor
@testable import ShegongDomain
import XCTest
@testable import ShegongStore
@testable import ShegongWeb

/// Answers written field by field (`JSONWritable`) must be the bytes Foundation's encoder writes
/// for the same value: a client, a cached response or a test cannot tell which wrote them.
final class JSONTextTests: XCTestCase {
    /// Every control character, the characters JSON escapes, a slash, and text beyond ASCII.
    static let awkward: String = {
        var text = ""
        for byte in UInt8(0)..<0x20 { text.unicodeScalars.append(Unicode.Scalar(byte)) }
        return text + "\u{7F}\"\\/ 张三 é\u{0301} \u{2028} 😀"
    }()

    func testAPeoplePageIsWrittenAsTheEncoderWritesIt() throws {
        var page = Self.page(count: 2, cursor: "bmFtZQ")
        page.items[0].name = Self.awkward
        page.items[0].serviceFields = [Self.awkward, "", "社区"]
        page.items[1].mobile = nil
        page.items[1].organizationID = nil
        page.items[1].organizationName = nil
        page.items[1].socialWorkDegree = nil
        page.items[1].serviceFields = []
        try assertSameBytes(page)
        try assertSameBytes(Self.page(count: 0, cursor: nil))
    }

    func testARatioThatIsNotFiniteIsLeftOutLikeNoData() {
        // act: a rate of 0/0, 1/0 and none at all, each in an object of its own
        func written(_ rate: Double?) -> String {
            var json = JSONText()
            json.object { $0.field("rate", rate); $0.field("total", 3) }
            return String(buffer: json.buffer)
        }
        // check: the answer still goes out, without the figure, as when there is none
        XCTAssertEqual(written(.nan), written(nil))
        XCTAssertEqual(written(.infinity), #"{"total":3}"#)
        XCTAssertEqual(written(0.5), #"{"rate":0.5,"total":3}"#)
    }

    func testRandomPeoplePagesAreWrittenAsTheEncoderWritesThem() throws {
        var generator = SeededRandom(seed: 20261206)
        let words = ["", "张", "李四", "a\"b", "c\\d", "e/f", "\n", "\u{1}", "😀", Self.awkward, "2026-12-06T10:00:00Z"]
        for _ in 0..<300 {
            func word() -> String { words.randomElement(using: &generator)! }
            func maybe() -> String? { Bool.random(using: &generator) ? word() : nil }
            var page = Self.page(count: Int.random(in: 0...4, using: &generator), cursor: maybe())
            page.total = Int.random(in: -3...2_000_000, using: &generator)
            page.totalIsExact = Bool.random(using: &generator)
            page.descending = Bool.random(using: &generator)
            page.sort = PersonSort.allCases.randomElement(using: &generator)!
            for index in page.items.indices {
                page.items[index] = PersonSummary(
                    id: word(), name: word(), idNumber: word(), sex: word(), birthDate: word(), mobile: maybe(), regionCode: word(),
                    organizationID: maybe(), organizationName: maybe(), postCategory: maybe(),
                    serviceFields: (0..<Int.random(in: 0...3, using: &generator)).map { _ in word() }, education: maybe(),
                    socialWorkDegree: Bool.random(using: &generator) ? Bool.random(using: &generator) : nil, certificateLevel: maybe(),
                    updatedAt: word(), version: Int.random(in: Int.min...Int.max, using: &generator))
            }
            try assertSameBytes(page)
        }
    }

    func testRandomCensusStatisticsAreWrittenAsTheEncoderWritesThem() throws {
        var generator = SeededRandom(seed: 20261207)
        let words = ["", "张", "社区工作者", "a\"b", "\\", "x/y", "\t", Self.awkward]
        func word() -> String { words.randomElement(using: &generator)! }
        func maybe() -> String? { Bool.random(using: &generator) ? word() : nil }
        func buckets() -> [CensusSummary.Bucket] {
            (0..<Int.random(in: 0...4, using: &generator)).map { _ in .init(value: word(), count: Int.random(in: 0...2_000_000, using: &generator)) }
        }
        let rates: [Double?] = [nil, 0, 1, 0.5, 1.0 / 3, 2.0 / 3, 0.1, 1e-7, 123.456, 0.30000000000000004]
        for round in 0..<300 {
            let path = RegionPath(province: maybe(), city: maybe(), county: maybe(), township: maybe(), community: maybe())
            let region = Region(code: word(), name: word(), level: RegionLevel.allCases.randomElement(using: &generator)!, parentCode: maybe(),
                                path: path, validFrom: Bool.random(using: &generator) ? 2020 : nil, validTo: Bool.random(using: &generator) ? -1 : nil,
                                placeholder: false, source: word())
            var summary = CensusSummary(counts: [], asOf: CivilDate(year: 2026, month: 12, day: 6)!)
            (summary.total, summary.certificateHolders) = (Int.random(in: 0...9_999_999, using: &generator), Int.random(in: 0...99, using: &generator))
            (summary.byLevel, summary.byPostCategory, summary.byServiceField, summary.byEducation) = (buckets(), buckets(), buckets(), buckets())
            (summary.bySocialWorkDegree, summary.byAgeBand, summary.bySex) = (buckets(), buckets(), buckets())
            (summary.communityWorkers, summary.certifiedCommunityWorkers) = (Int.random(in: 0...500, using: &generator), Int.random(in: 0...500, using: &generator))
            summary.communityWorkerCertificationRate = round < rates.count ? rates[round] : Double.random(in: 0...1, using: &generator)
            try assertSameBytes(CensusController.StatsAnswer(region: .init(region), summary: summary))
        }
    }

    /// Every stored property of the types is written: a field added to a type but not to its
    /// writer would be missed by the comparisons whenever the test leaves it nil.
    func testEveryFieldOfAPeoplePageIsWritten() throws {
        let page = Self.page(count: 1, cursor: "bmFtZQ")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONText.bytes(of: page).readableBytesView)) as? [String: Any])
        let person = try XCTUnwrap((object["items"] as? [[String: Any]])?.first)
        XCTAssertEqual(object.count, Mirror(reflecting: page).children.count)
        XCTAssertEqual(person.count, Mirror(reflecting: page.items[0]).children.count)
        // and the statistics, every optional given
        let path = RegionPath(province: "620000", city: "620900", county: "620902", township: "620902001", community: "620902001001")
        let region = Region(code: "620902001001", name: "某社区", level: .community, parentCode: "620902001", path: path, validFrom: 2020,
                            validTo: 2030, placeholder: false, source: "民政部")
        var summary = CensusSummary(counts: [], asOf: CivilDate(year: 2026, month: 12, day: 6)!)
        summary.communityWorkerCertificationRate = 0.5
        let answer = CensusController.StatsAnswer(region: .init(region), summary: summary)
        let stats = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONText.bytes(of: answer).readableBytesView)) as? [String: Any])
        let (writtenRegion, writtenSummary) = (try XCTUnwrap(stats["region"] as? [String: Any]), try XCTUnwrap(stats["summary"] as? [String: Any]))
        XCTAssertEqual(stats.count, Mirror(reflecting: answer).children.count)
        XCTAssertEqual(writtenRegion.count, Mirror(reflecting: answer.region).children.count)
        XCTAssertEqual((writtenRegion["path"] as? [String: Any])?.count, Mirror(reflecting: path).children.count)
        XCTAssertEqual(writtenSummary.count, Mirror(reflecting: summary).children.count)
    }

    /// Compared as bytes, not as strings: text equal as Swift strings (é and e + combining acute)
    /// can differ in bytes.
    func assertSameBytes<T: JSONWritable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = Array(try JSONResponse.encoder.encode(value))
        let written = Array(JSONText.bytes(of: value).readableBytesView)
        XCTAssertEqual(written, expected, String(decoding: written, as: UTF8.self), file: file, line: line)
    }

    static func page(count: Int, cursor: String?) -> PersonPage {
        let person = PersonSummary(
            id: "0c5e8a9e-1d2f-4c3b-9a8e-7f6d5c4b3a21", name: "王芳", idNumber: "420***********1234", sex: "女", birthDate: "1990-01-02",
            mobile: "138****5678", regionCode: "422826100", organizationID: "org-1", organizationName: "某社会工作服务中心",
            postCategory: "社区工作者", serviceFields: ["老年", "儿童"], education: "本科", socialWorkDegree: true,
            certificateLevel: "中级", updatedAt: "2026-12-06T10:00:00Z", version: 3)
        return PersonPage(items: Array(repeating: person, count: count), total: 14_231, totalIsExact: true, page: 1, perPage: 20,
                          sort: .name, descending: false, nextCursor: cursor)
    }
}
