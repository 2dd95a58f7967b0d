import Testing
import ShegongDomain

@Suite("Mobile numbers")
struct MobileNumberTests {
    @Test("11 digits starting with 1, in the ways people write them")
    func accepted() {
        for text in ["13812345678", " 138 1234 5678 ", "138-1234-5678", "+8613812345678", "１３８１２３４５６７８"] {
            #expect(MobileNumber.parse(text).successValue?.value == "13812345678", "\(text)")
        }
    }

    @Test("rejected with the reason")
    func rejected() {
        #expect(MobileNumber.parse("").failureValue?.code == "mobile.empty")
        #expect(MobileNumber.parse("1381234567").failureValue?.message == "手机号应为 11 位数字，实际为 10 位")
        #expect(MobileNumber.parse("23812345678").failureValue?.code == "mobile.prefix")
        #expect(MobileNumber.parse("1381234567a").failureValue?.code == "mobile.characters")
        #expect(MobileNumber.parse("027-87654321").failureValue != nil)
    }

    @Test("masked as 138****5678")
    func masking() throws {
        let number = try MobileNumber.parse("13812345678").get()
        #expect(number.masked == "138****5678")
        #expect("\(number)" == "138****5678")
    }
}

@Suite("Region codes")
struct RegionCodeTests {
    @Test("level follows the code's shape", arguments: [
        ("000000", RegionLevel.nation), ("420000", .province), ("420100", .city), ("110100", .city),
        ("420102", .county), ("429004", .county), ("420102001", .township), ("420102001001", .community),
    ])
    func levels(code: String, level: RegionLevel) throws {
        #expect(try RegionCode.parse(code).get().level == level)
    }

    @Test("only 6, 9 or 12 digits")
    func rejected() {
        #expect(RegionCode.parse("").failureValue?.code == "region.empty")
        for text in ["42010", "4201020", "4201020010", "4201020010011"] {
            #expect(RegionCode.parse(text).failureValue?.code == "region.length", "\(text)")
        }
        #expect(RegionCode.parse("42010A").failureValue?.code == "region.characters")
    }

    @Test("parent and containment walk up the code structure")
    func tree() throws {
        let community = try RegionCode.parse("420102001001").get()
        let chain = sequence(first: community, next: \.parent).map(\.value)
        #expect(chain == ["420102001001", "420102001", "420102", "420100", "420000", "000000"])
        let hubei = try RegionCode.parse("420000").get()
        #expect(hubei.contains(community))
        #expect(RegionCode.nation.contains(hubei))
        #expect(!(try RegionCode.parse("430000").get()).contains(community))
        #expect(!community.contains(hubei))
    }
}
