import Testing
import ShegongDomain

@Suite("Resident ID (GB 11643)")
struct ResidentIDTests {
    @Test("the standard's worked example 11010519491231002X is a woman born 1949-12-31")
    func workedExample() throws {
        // act
        let id = try ResidentID.parse("11010519491231002X", today: fixedToday).get()
        // check
        #expect(id.value == "11010519491231002X")
        #expect(id.addressCode == "110105")
        #expect(id.birthDate == CivilDate(year: 1949, month: 12, day: 31))
        #expect(id.sex == .female)
        #expect(id.age(on: fixedToday) == 75)
    }

    @Test("lower-case x, surrounding spaces and full-width digits are accepted and normalised")
    func normalisation() throws {
        #expect(try ResidentID.parse(" 11010519491231002x ", today: fixedToday).get().value == "11010519491231002X")
        #expect(try ResidentID.parse("１１０１０５１９４９１２３１００２Ｘ", today: fixedToday).get().value == "11010519491231002X")
        #expect(try ResidentID.parse("\u{200B}11010519491231002X\u{3000}", today: fixedToday).get().value == "11010519491231002X")
    }

    @Test("the one-argument parse uses today's date")
    func parseWithoutToday() {
        #expect(ResidentID.parse("11010519491231002X").successValue?.sex == .female)
    }

    @Test("an odd 17th digit is a man")
    func maleParity() throws {
        let text = Reference.residentID(birth: "19900307", sequence: "123")
        #expect(try ResidentID.parse(text, today: fixedToday).get().sex == .male)
    }

    @Test("a wrong check character says which one it should be")
    func wrongCheckCharacter() {
        let error = ResidentID.parse("110105194912310023", today: fixedToday).failureValue
        #expect(error?.code == "id.check_digit")
        #expect(error?.message == "身份证号校验位应为 X，实际为 3；请核对各位数字是否抄错")
    }

    @Test("impossible birth dates are rejected", arguments: ["19990230", "19990631", "20230229", "19991301", "19990100"])
    func impossibleBirthDate(birth: String) {
        let text = Reference.residentID(birth: birth, sequence: "123")
        let error = ResidentID.parse(text, today: fixedToday).failureValue
        #expect(error?.code == "id.birth_date")
        #expect(error?.message.contains(birth) == true)
    }

    @Test("29 February is fine in a leap year")
    func leapDay() {
        let text = Reference.residentID(birth: "20000229", sequence: "124")
        #expect(ResidentID.parse(text, today: fixedToday).successValue?.birthDate == CivilDate(year: 2000, month: 2, day: 29))
    }

    @Test("birth dates before 1900 or after today are rejected")
    func birthDateBounds() {
        let early = ResidentID.parse(Reference.residentID(birth: "18991231", sequence: "123"), today: fixedToday).failureValue
        #expect(early?.code == "id.birth_date")
        #expect(early?.message.contains("1900") == true)
        let future = ResidentID.parse(Reference.residentID(birth: "20250701", sequence: "123"), today: fixedToday).failureValue
        #expect(future?.code == "id.birth_date")
        #expect(future?.message.contains("晚于今天") == true)
        #expect(ResidentID.parse(Reference.residentID(birth: "20250630", sequence: "123"), today: fixedToday).successValue != nil)
    }

    @Test("length and character errors say what was found")
    func shapeErrors() {
        #expect(ResidentID.parse("", today: fixedToday).failureValue?.code == "id.empty")
        let short = ResidentID.parse("1101051949123100", today: fixedToday).failureValue
        #expect(short?.code == "id.length")
        #expect(short?.message == "身份证号应为 18 位，实际为 16 位")
        #expect(ResidentID.parse("110105491231002", today: fixedToday).failureValue?.message.contains("15 位的旧身份证号") == true)
        let letter = ResidentID.parse("11010519491231O02X", today: fixedToday).failureValue
        #expect(letter?.code == "id.characters")
        #expect(letter?.message.contains("第 15 位是“O”") == true)
        let last = ResidentID.parse("11010519491231002Y", today: fixedToday).failureValue
        #expect(last?.code == "id.characters")
    }

    @Test("masking keeps the first 3 and last 4 characters")
    func masking() throws {
        let id = try ResidentID.parse("11010519491231002X", today: fixedToday).get()
        #expect(id.masked == "110***********002X")
        #expect(id.masked.count == 18)
        #expect("\(id)" == "110***********002X")  // never the full number by accident
    }

    @Test("checkCharacter and make build IDs that parse")
    func buildingIDs() throws {
        #expect(ResidentID.checkCharacter(for: "11010519491231002") == "X")
        let made = try #require(ResidentID.make(addressCode: "420102", birthDate: CivilDate(year: 1985, month: 2, day: 3)!, sequence: 7))
        #expect(made.value == Reference.residentID(birth: "19850203", sequence: "007"))
        #expect(made.sex == .male)
        #expect(ResidentID.parse(made.value, today: fixedToday).successValue == made)
        #expect(ResidentID.make(addressCode: "4201", birthDate: fixedToday, sequence: 1) == nil)
        #expect(ResidentID.make(addressCode: "420102", birthDate: fixedToday, sequence: 1000) == nil)
    }

    @Test("1,000 random IDs: parse agrees with an independent check-character computation, and any single changed digit is caught")
    func randomCrossCheck() throws {
        var rng = SeededGenerator(seed: 11643)
        for _ in 0..<1_000 {
            // setup: a random address code, a real birth date between 1900 and today, a random sequence
            let address = String(Int.random(in: 110000...659999, using: &rng))
            let birth = CivilDate(daysSinceEpoch: Int.random(
                in: CivilDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch...fixedToday.daysSinceEpoch, using: &rng))
            let birthText = birth.description.replacingOccurrences(of: "-", with: "")
            let sequence = Int.random(in: 0...999, using: &rng)
            let sequenceText = String(1000 + sequence).dropFirst()
            let first17 = address + birthText + sequenceText
            let text = first17 + String(Reference.residentIDCheck(first17))

            // act / check: the valid number
            #expect(ResidentID.checkCharacter(for: first17) == Reference.residentIDCheck(first17))
            let id = try ResidentID.parse(text, today: fixedToday).get()
            #expect(id.birthDate == birth)
            #expect(id.sex == (sequence % 2 == 1 ? .male : .female))

            // check: one character changed
            var chars = Array(text)
            let position = Int.random(in: 0..<18, using: &rng)
            let original = chars[position]
            repeat {
                chars[position] = position == 17 ? Array("0123456789X").randomElement(using: &rng)! : Character(String(Int.random(in: 0...9, using: &rng)))
            } while chars[position] == original
            let mutated = ResidentID.parse(String(chars), today: fixedToday)
            #expect(mutated.successValue == nil, "\(String(chars)) from \(text) should be invalid")
            if !(6..<14).contains(position) {
                #expect(mutated.failureValue?.code == "id.check_digit")
            }
        }
    }
}
