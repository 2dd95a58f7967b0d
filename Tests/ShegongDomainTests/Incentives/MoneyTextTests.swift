import Testing
@testable import ShegongDomain

/// Amounts as people read them: `66,100.00 元` on the pages, 大写 on the printed payment list.
struct MoneyTextTests {
    @Test(arguments: [
        (0, "0.00"), (5, "0.05"), (50_000, "500.00"), (6_610_000, "66,100.00"), (100_000_000, "1,000,000.00"),
        (123_456_789_01, "123,456,789.01"), (-6_610_000, "-66,100.00"), (99_999, "999.99"), (100_000, "1,000.00"),
    ])
    func plainAmounts(fen: Int, expected: String) {
        #expect(MoneyText.plain(fen: fen) == expected)
    }

    @Test func currencyInThePagesLanguage() {
        #expect(MoneyText.text(fen: 6_610_000, language: .zhHans) == "66,100.00 元")
        #expect(MoneyText.text(fen: 6_610_000, language: .en) == "CNY 66,100.00")
    }

    @Test(arguments: [
        // whole yuan: 整
        (6_610_000, "陆万陆仟壹佰元整"),
        (0, "零元整"),
        (100, "壹元整"),
        (1_000, "壹拾元整"),
        (1_500, "壹拾伍元整"),
        (50_000, "伍佰元整"),
        // zeros inside and runs of zeros: one 零
        (140_950, "壹仟肆佰零玖元伍角"),
        (600_714, "陆仟零柒元壹角肆分"),
        (10_070_000, "壹拾万零柒佰元整"),
        (10_700_000, "壹拾万柒仟元整"),
        (100_000_000, "壹佰万元整"),
        // 万 and 亿 boundaries
        (1_000_000, "壹万元整"),
        (999_999_900, "玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
        (10_000_000_000, "壹亿元整"),
        (10_000_000_100, "壹亿零壹元整"),
        (10_001_000_000, "壹亿零壹万元整"),
        (10_010_000_000, "壹亿零壹拾万元整"),
        (12_345_678_900, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
        // 角 and 分
        (168_032, "壹仟陆佰捌拾元叁角贰分"),
        (1_640_902, "壹万陆仟肆佰零玖元零贰分"),
        (32_504, "叁佰贰拾伍元零肆分"),
        (50, "伍角"),
        (5, "伍分"),
        (55, "伍角伍分"),
        (-100, "负壹元整"),
    ])
    func capitalNumerals(fen: Int, expected: String) {
        #expect(MoneyText.capital(fen: fen) == expected)
    }
}
