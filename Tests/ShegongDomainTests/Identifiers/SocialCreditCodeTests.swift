import Testing
import ShegongDomain

@Suite("Unified social credit code (GB 32100)")
struct SocialCreditCodeTests {
    @Test("the worked example 91110000600037341L is valid")
    func workedExample() throws {
        let code = try SocialCreditCode.parse("91110000600037341L").get()
        #expect(code.value == "91110000600037341L")
        #expect(SocialCreditCode.checkCharacter(for: "91110000600037341") == "L")
    }

    @Test("lower case and spaces are accepted")
    func normalisation() {
        #expect(SocialCreditCode.parse(" 91110000600037341l ").successValue?.value == "91110000600037341L")
    }

    @Test("a wrong check character says which one it should be")
    func wrongCheckCharacter() {
        let error = SocialCreditCode.parse("91110000600037341M").failureValue
        #expect(error?.code == "uscc.check_digit")
        #expect(error?.message.contains("校验位应为 L，实际为 M") == true)
    }

    @Test("I, O, S, V and Z are not code characters", arguments: ["I", "O", "S", "V", "Z"])
    func forbiddenLetters(letter: String) {
        let error = SocialCreditCode.parse("9111000060003734" + letter + "L").failureValue
        #expect(error?.code == "uscc.characters")
        #expect(error?.message.contains("第 17 位“\(letter)”") == true)
    }

    @Test("wrong length and empty input")
    func shapeErrors() {
        #expect(SocialCreditCode.parse("").failureValue?.code == "uscc.empty")
        #expect(SocialCreditCode.parse("9111000060003734").failureValue?.message == "统一社会信用代码应为 18 位，实际为 16 位")
    }

    @Test("1,000 random codes: parse agrees with an independent computation, and any single changed character is caught")
    func randomCrossCheck() throws {
        var rng = SeededGenerator(seed: 32100)
        for _ in 0..<1_000 {
            let first17 = String((0..<17).map { _ in Reference.usccAlphabet.randomElement(using: &rng)! })
            let expected = Reference.usccCheck(first17)
            #expect(SocialCreditCode.checkCharacter(for: first17) == expected)
            let text = first17 + String(expected)
            #expect(SocialCreditCode.parse(text).successValue?.value == text)

            var chars = Array(text)
            let position = Int.random(in: 0..<18, using: &rng)
            let original = chars[position]
            repeat { chars[position] = Reference.usccAlphabet.randomElement(using: &rng)! } while chars[position] == original
            #expect(SocialCreditCode.parse(String(chars)).failureValue?.code == "uscc.check_digit")
        }
    }
}
