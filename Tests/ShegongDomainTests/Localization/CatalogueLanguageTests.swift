import Foundation
import Testing
@testable import ShegongDomain

@Suite struct CatalogueLanguageTests {
    @Test(arguments: [
        ("zh", Language.zhHans), ("zh-CN", .zhHans), ("zh-Hans-CN", .zhHans), ("ZH_cn", .zhHans), ("zh-TW", .zhHans),
        ("zh-Hant", .zhHans), ("en", .en), ("en-US", .en), ("EN-gb", .en), (" en ", .en),
    ])
    func readsLanguageTags(tag: String, expected: Language) {
        #expect(Language(tag: tag) == expected)
    }

    @Test(arguments: ["", "fr", "de-DE", "english", "e", "zhx", "*"])
    func refusesOtherTags(tag: String) {
        #expect(Language(tag: tag) == nil)
    }

    @Test(arguments: [
        ("zh-CN,zh;q=0.9,en;q=0.8", Language.zhHans),
        ("en-US,en;q=0.9,zh-CN;q=0.8", .en),
        ("fr-FR,fr;q=0.9,en;q=0.5,zh;q=0.4", .en),
        ("en;q=0.2, zh;q=0.7", .zhHans),
        ("en;q=0, zh-TW", .zhHans),
        ("de, en;q=0.5", .en),
        ("en;q=0.5, zh;q=0.5", .en),
        ("*", .zhHans),
        ("en;q=abc, zh", .zhHans),
    ])
    func picksTheBrowsersBestLanguage(header: String, expected: Language) {
        #expect(Language(acceptLanguage: header) == expected)
    }

    @Test(arguments: ["", "fr-FR,de;q=0.9", "en;q=0", ";;;,,,", "q=1"])
    func noPreferenceOfOursGivesNil(header: String) {
        #expect(Language(acceptLanguage: header) == nil)
    }

    @Test func theChoiceGoesQueryThenCookieThenHeaderThenChinese() {
        #expect(Language.resolve() == .zhHans)
        #expect(Language.resolve(acceptLanguage: "en-US") == .en)
        #expect(Language.resolve(cookie: "zh-Hans", acceptLanguage: "en-US") == .zhHans)
        #expect(Language.resolve(query: "en", cookie: "zh-Hans", acceptLanguage: "zh") == .en)
        #expect(Language.resolve(query: "xx", cookie: "garbage", acceptLanguage: "en") == .en)
        #expect(Language(cookie: String(repeating: "e", count: 100)) == nil)
        #expect(Language(cookie: nil) == nil)
    }

    @Test func tagsForHTMLAndTheSwitch() {
        #expect(Language.zhHans.tag == "zh-Hans" && Language.en.tag == "en")
        #expect(Language.zhHans.nativeName == "中文" && Language.en.nativeName == "English")
        #expect(Language(tag: Language.zhHans.tag) == .zhHans)
        #expect(Language.default == .zhHans)
    }

    @Test func domainSentencesFollowTheInterfaceLanguage() {
        let text = PolicyText(zh: "符合", en: "eligible")
        #expect(text.localized(.zhHans) == "符合" && text.localized(.en) == "eligible")
        let message = IndicatorMessage(code: "x", chinese: "无数据", english: "no data")
        #expect(message.localized(.en) == "no data")
        #expect(Language.en.policyLanguage == .en && Language.zhHans.policyLanguage == .zh)
    }
}
