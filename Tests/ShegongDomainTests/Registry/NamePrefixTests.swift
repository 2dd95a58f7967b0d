import ShegongDomain
import Testing

/// The people list's name search is a range of code points (issue #15 §1): each case is the
/// prefix typed and the range the store asks for.
@Suite struct NamePrefixTests {
    @Test(arguments: [
        ("张", "张", "\u{5F21}"),
        ("张三", "张三", "张\u{4E0A}"),
        (" 王 ", "王", "\u{738C}"),
        ("Li", "Li", "Lj"),
        ("a\u{D7FF}", "a\u{D7FF}", "a\u{E000}"),
        ("b\u{10FFFF}", "b\u{10FFFF}", "c"),
    ])
    func aPrefixBecomesAHalfOpenRange(typed: String, prefix: String, upper: String) throws {
        let range = try #require(NamePrefix(typed))
        #expect(range.prefix == prefix)
        #expect(range.upperBound == upper)
    }

    @Test func aBlankPrefixIsNoCondition() {
        #expect(NamePrefix("  ") == nil)
        #expect(NamePrefix("\u{10FFFF}")?.upperBound == nil)
    }

    @Test func theRangeHoldsExactlyTheNamesThatStartWithThePrefix() throws {
        let range = try #require(NamePrefix("张"))
        let names = ["张三", "张伟", "章子", "弓张", "张", "李张", "弡"]
        let inRange = names.filter { name in
            name.unicodeScalars.lexicographicallyPrecedes(range.prefix.unicodeScalars) == false
                && name.unicodeScalars.lexicographicallyPrecedes(range.upperBound!.unicodeScalars)
        }
        #expect(inRange.sorted() == ["张", "张三", "张伟"])
    }
}
