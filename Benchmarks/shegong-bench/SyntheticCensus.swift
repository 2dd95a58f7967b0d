import Foundation
import ShegongDomain

/// Where a synthetic person works: a township or community code, and the county-level unit
/// above it (the address code of their ID number).
struct CensusPlace {
    var code: String
    var county: String
}

struct CensusEmployer {
    var name: String
    var creditCode: SocialCreditCode?
    var kind: String?
}

/// N synthetic census rows with the mix of the demo data set: valid, unique ID numbers; about
/// 40 % certificate holders with unique certificate numbers; mobiles, post categories, service
/// fields, education; employers on file for staff outside communities and villages.
/// Deterministic for a seed, so two runs import the same file.
struct SyntheticCensus {
    var people: Int
    var seed: UInt64
    var places: [CensusPlace]
    var employersByCounty: [String: [CensusEmployer]]
    var today = CivilDate.today()

    /// Writes the file with the domain's `CSVWriter` (UTF-8 with BOM, as an export would).
    func write(to url: URL) throws {
        precondition(!places.isEmpty, "no places to put people in")
        let writer = try CSVWriter(url: url)
        try writer.write(CensusColumn.headerCells)
        var random = SplitMix64(seed: seed)
        var usedIDs = Set<UInt64>(minimumCapacity: people)
        for n in 1...people {
            try writer.write(person(n, random: &random, usedIDs: &usedIDs).cells())
        }
        try writer.close()
    }

    private static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    private static let givenNames = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏飞斌宇浩凯秀云建国志文俊晨欣怡佳琪梓涵子轩雨婷思远")
    private static let mobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                                         "157", "158", "159", "177", "180", "181", "186", "187", "189", "199"]

    private func person(_ n: Int, random: inout SplitMix64, usedIDs: inout Set<UInt64>) -> CensusRecord {
        let place = random.pick(places)
        var id: ResidentID
        repeat {
            let birth = CivilDate(year: random.int(1965...2003), month: random.int(1...12), day: random.int(1...28))!
            id = ResidentID.make(addressCode: place.county, birthDate: birth, sequence: random.int(1...999))!
        } while !usedIDs.insert(UInt64(id.value.prefix(17))!).inserted

        var name = String(random.pick(Self.surnames)) + String(random.pick(Self.givenNames))
        if random.chance(0.6) { name.append(random.pick(Self.givenNames)) }
        let mobile = random.pick(Self.mobilePrefixes) + String(format: "%08d", random.int(0...99_999_999))

        let category: PostCategory = random.weighted([
            (.communityWorker, 38), (.villageCadre, 14), (.socialWorkOrganization, 14), (.publicInstitution, 10),
            (.massOrganization, 5), (.laborDispatch, 8), (.publicWelfarePost, 6), (.other, 5),
        ])
        var employer: CensusEmployer?
        if category != .communityWorker && category != .villageCadre, let local = employersByCounty[place.county], !local.isEmpty {
            let wanted = category == .socialWorkOrganization ? ["社工机构"] : ["事业单位", "学校", "医院", "养老机构", "群团组织", "行政机关"]
            let matching = local.filter { wanted.contains($0.kind ?? "") }
            employer = random.pick(matching.isEmpty ? local : matching)
        }
        var fields: [ServiceField] = category == .communityWorker ? [.community] : []
        for _ in 0..<random.int(0...2) { fields.append(random.pick(ServiceField.allCases)) }
        let education: EducationLevel = random.weighted([
            (.juniorHighOrBelow, 3), (.seniorHigh, 10), (.secondaryVocational, 8), (.juniorCollege, 34), (.bachelor, 40), (.master, 5),
        ])

        // About 40 % hold a certificate; the row number in the certificate number keeps it unique.
        var certificate: CensusCertificate?
        if random.chance(category == .socialWorkOrganization ? 0.7 : 0.36) {
            let level: CertificateLevel = random.weighted([(.assistant, 68), (.intermediate, 29), (.senior, 3)])
            let issued = min(CivilDate(year: random.int(2012...2025), month: random.int(1...12), day: random.int(1...28))!, today)
            let number = "\(issued.year)\(place.county.prefix(2))\(level.rank)\(String(format: "%07d", n))"
            certificate = CensusCertificate(level: level, number: number, issueDate: issued)
        }
        return CensusRecord(
            row: n + 1, name: name, residentID: id, mobile: try? MobileNumber.parse(mobile).get(), regionCode: place.code,
            employerName: employer?.name, employerCode: employer?.creditCode, postCategory: category, serviceFields: fields,
            education: education, socialWorkDegree: random.chance(education >= .juniorCollege ? 0.3 : 0.05),
            certificate: certificate)
    }
}

/// SplitMix64: small, fast, and the same sequence on every machine.
struct SplitMix64 {
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
    mutating func pick<C: RandomAccessCollection>(_ items: C) -> C.Element where C.Index == Int {
        items[items.startIndex + Int(next() % UInt64(items.count))]
    }
    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var roll = int(0...(items.reduce(0) { $0 + $1.1 } - 1))
        for (item, weight) in items {
            if roll < weight { return item }
            roll -= weight
        }
        return items[0].0
    }
}
