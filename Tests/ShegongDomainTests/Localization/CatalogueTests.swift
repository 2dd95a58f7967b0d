import Foundation
import Testing
@testable import ShegongDomain

@Suite struct CatalogueTests {
    @Test func chineseAndEnglishDefineTheSameKeys() {
        let catalogue = Catalogue.standard
        let chinese = Set(catalogue.keys(.zhHans)), english = Set(catalogue.keys(.en))
        #expect(chinese.subtracting(english).sorted() == [], "keys without English")
        #expect(english.subtracting(chinese).sorted() == [], "keys without Chinese")
        #expect(chinese.count > 300)
    }

    @Test func noKeyIsGivenTwice() {
        #expect(Catalogue.duplicateKeys == [])
    }

    @Test func translationsUseTheSamePlaceholders() {
        for entry in Catalogue.allEntries {
            #expect(Catalogue.placeholders(in: entry.zhHans) == Catalogue.placeholders(in: entry.en), "\(entry.key)")
            // Placeholders are numbered from 0 without gaps, so a caller knows how many to pass.
            let used = Catalogue.placeholders(in: entry.zhHans)
            #expect(used == Array(0..<used.count), "\(entry.key)")
        }
    }

    @Test func keysAreDottedLowerCaseWordsOrDomainValues() {
        for entry in Catalogue.allEntries {
            #expect(entry.key.contains("."), "\(entry.key)")
            #expect(!entry.key.contains(" ") && !entry.key.hasSuffix(".") && !entry.key.hasPrefix("."), "\(entry.key)")
            #expect(entry.zhHans.trimmingCharacters(in: .whitespaces) == entry.zhHans, "\(entry.key)")
            #expect(entry.en.trimmingCharacters(in: .whitespaces) == entry.en || entry.key.hasSuffix("separator"), "\(entry.key)")
        }
    }

    @Test func everyCodedValueHasItsName() {
        var keys: [String] = []
        keys += MeasureStatus.allCases.map(\.catalogueKey)
        keys += TargetAssessment.Status.allCases.map(\.catalogueKey)
        keys += [RuleOutcome.passed, .failed, .notChecked].map(\.catalogueKey)
        keys += CensusColumn.allCases.map(\.catalogueKey)
        keys += PostCategory.allCases.map(\.catalogueKey)
        keys += ServiceField.allCases.map(\.catalogueKey)
        keys += EducationLevel.allCases.map(\.catalogueKey)
        keys += CertificateLevel.allCases.map(\.catalogueKey)
        keys += Sex.allCases.map(\.catalogueKey)
        keys += RegionLevel.allCases.map(\.catalogueKey)
        keys += RegionStatistic.allCases.map(\.catalogueKey)
        keys += PolicyTerm.allCases.map(\.catalogueKey)
        for key in keys {
            #expect(Catalogue.standard.defines(key, in: .zhHans) && Catalogue.standard.defines(key, in: .en), "\(key)")
        }
    }

    @Test func theNamesAgreeWithTheDomainsOwnNames() {
        // Chinese names are the template's own words; English ones match the domain types'.
        for column in CensusColumn.allCases { #expect(column.localizedName(.zhHans) == column.rawValue) }
        for status in MeasureStatus.allCases {
            #expect(status.localizedName(.zhHans) == status.chineseName && status.localizedName(.en) == status.englishName)
        }
        for status in TargetAssessment.Status.allCases {
            #expect(status.localizedName(.zhHans) == status.chineseName && status.localizedName(.en) == status.englishName)
        }
        for value in PostCategory.allCases { #expect(value.localizedName(.en) == value.englishName && value.localizedName(.zhHans) == value.rawValue) }
        for value in ServiceField.allCases { #expect(value.localizedName(.en) == value.englishName && value.localizedName(.zhHans) == value.rawValue) }
        for value in EducationLevel.allCases { #expect(value.localizedName(.en) == value.englishName && value.localizedName(.zhHans) == value.rawValue) }
        for value in CertificateLevel.allCases { #expect(value.localizedName(.en) == value.englishName && value.localizedName(.zhHans) == value.rawValue) }
        for value in Sex.allCases { #expect(value.localizedName(.en).lowercased() == value.englishName) }
    }

    @Test func theNavigationAndCommonActionsReadAsThePagesNeedThem() {
        let t = Catalogue.standard.texts(.zhHans)
        #expect(["nav.home", "nav.regions", "nav.people", "nav.organizations", "nav.import", "nav.export", "nav.statistics",
                 "nav.incentives", "nav.plans", "nav.account", "nav.admin", "nav.audit"].map { t($0) }
                == ["首页", "地区", "人员", "单位", "导入", "导出", "统计", "激励", "计划与目标", "账户", "管理", "审计"])
        #expect(["action.save", "action.cancel", "action.search", "action.next_page", "action.previous_page", "action.download",
                 "action.print"].map { t($0) } == ["保存", "取消", "搜索", "下一页", "上一页", "下载", "打印"])
        #expect(Catalogue.text("nav.people", .en) == "People")
        #expect(Catalogue.text("census.import.title", .zhHans) == "导入人才信息采集表")
    }

    @Test func argumentsArePositionalSoTranslationsMayReorderThem() {
        #expect(Catalogue.text("pager.page", .zhHans, "2", "10") == "第 2 页，共 10 页")
        #expect(Catalogue.text("pager.page", .en, arguments: ["2", "10"]) == "Page 2 of 10")
        let catalogue = Catalogue(tables: [.zhHans: ["k": "{1}的{0}"], .en: ["k": "{0} of {1}"]])
        #expect(catalogue.text("k", .zhHans, "持证率", "酒泉市") == "酒泉市的持证率")
        #expect(catalogue.text("k", .en, "certification rate", "Jiuquan") == "certification rate of Jiuquan")
    }

    @Test func missingArgumentsAndStrayBracesStayVisible() {
        #expect(Catalogue.fill("第 {0} 页，共 {1} 页", ["3"]) == "第 3 页，共 {1} 页")
        #expect(Catalogue.fill("{a} {} {0", ["x"]) == "{a} {} {0")
        #expect(Catalogue.fill("{0}{0}", ["<b>"]) == "<b><b>")
        #expect(Catalogue.placeholders(in: "{1} / {0} / {1} / {x}") == [0, 1])
    }

    @Test func englishFallsBackToChineseAndAnUnknownKeyShowsItself() {
        // setup
        let catalogue = Catalogue(entries: [CatalogueEntry("only.zh", "仅中文 {0}", ""), CatalogueEntry("both", "两者", "Both")])
        // act + check
        #expect(catalogue.text("only.zh", .en, "x") == "仅中文 x")
        #expect(!catalogue.defines("only.zh", in: .en))
        #expect(catalogue.text("both", .en) == "Both")
        #expect(catalogue.text("no.such.key", .en) == "no.such.key")
        #expect(Catalogue.text("no.such.key", .zhHans) == "no.such.key")
    }

    @Test func textsArePlainAndLeaveEscapingToThePage() {
        // Arguments are inserted as given; the page escapes the whole result once.
        #expect(Catalogue.text("app.signed_in_as", .zhHans, "<script>") == "当前用户：<script>")
        for entry in Catalogue.allEntries {
            #expect(!entry.zhHans.contains("<") && !entry.en.contains("<"), "\(entry.key) looks like HTML")
        }
    }

    @Test func statusKeysFollowTheStoredValues() {
        let t = Catalogue.standard.texts(.en)
        for status in ["submitted", "approved", "rejected", "returned"] { #expect(t("status.application.\(status)") != "status.application.\(status)") }
        for status in ["draft", "approved", "paid"] { #expect(t("status.batch.\(status)") != "status.batch.\(status)") }
        for status in ["dry_run", "committed", "rejected"] { #expect(t("status.import.\(status)") != "status.import.\(status)") }
        #expect(t.name(MeasureStatus.overdue) == "Overdue")
        #expect(Catalogue.standard.texts(.zhHans).name(CertificateLevel.senior) == "高级社会工作师")
    }

    @Test func errorPagesHaveATitleAndAMessageForEachStatus() {
        for status in [400, 401, 403, 404, 413, 429, 500, 503] {
            for language in Language.allCases {
                #expect(Catalogue.standard.defines("error.\(status).title", in: language))
                #expect(Catalogue.standard.defines("error.\(status).message", in: language))
            }
        }
        // Production error pages say nothing of stack traces or SQL.
        for entry in Catalogue.allEntries where entry.key.hasPrefix("error.") {
            #expect(!entry.en.lowercased().contains("sql") && !entry.en.lowercased().contains("stack"))
        }
    }
}

/// Validation and error messages (`CatalogueMessage`): every key the sources construct has both
/// languages, so an English page never shows a Chinese error.
@Suite struct CatalogueMessageTests {
    /// Keys built at run time, which no literal in the sources spells out whole.
    static let composedKeys = [
        "census.sex.mismatch.male", "census.sex.mismatch.female",
        "sheet.cell_too_large", "sheet.cell_too_large.quote", "sheet.cell_too_large.file", "sheet.cell_too_large.file.quote",
        "sheet.read_failed.io", "sheet.write_failed.io", "allowance.batch_closed.approved", "allowance.batch_closed.paid",
        "certificate.exists.own", "certificate.exists.other",
    ]

    /// Message keys in the sources: a `code: "…"` worded by its own entry (StoreError, its Detail,
    /// CensusIssue, IdentifierError, SpreadsheetError, Grant.Problem, PolicyError and the policy
    /// reader's `fail`), and every key given to `CatalogueMessage(…)` or `text: .init(…)`. Codes
    /// written with `message:`, `chinese:` or `text:` carry their own wording and are skipped.
    static func keysInSources() throws -> Set<String> {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let ownWording = try Regex(#"code: "([a-z][a-z0-9_.]*)"(?!\s*,\s*(?:text|message|chinese|english):)"#)
        let explicit = try Regex(#"(?:text: \.init|CatalogueMessage)\("([a-z][a-z0-9_.]*)""#)
        var keys: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            // The JSON API's own errors (APIError) are Chinese by design; pages do not show them by key.
            let apiOnly = text.components(separatedBy: "\n").filter { !$0.contains("APIError") }.joined(separator: "\n")
            for match in apiOnly.matches(of: ownWording) { keys.insert(String(match.output[1].substring!)) }
            for match in text.matches(of: explicit) { keys.insert(String(match.output[1].substring!)) }
        }
        return keys
    }

    @Test func everyMessageKeyHasChineseAndEnglish() throws {
        let keys = try Self.keysInSources().union(Self.composedKeys)
        #expect(keys.count > 150)
        #expect(keys.contains("census.id.invalid") || keys.contains("id.check_digit"))
        // Policy files: the reader's and the validation's messages, their variants and the store's.
        #expect(keys.filter { $0.hasPrefix("policy.") }.count > 60)
        #expect(keys.isSuperset(of: ["policy.key.unknown", "policy.amount.fraction", "policy.amount.negative.edited", "policy.type.mapping.sources",
                                     "policy.window.unit.unknown", "policy.version.overlap.open", "policy.shape.scalar", "policy.region.unknown"]))
        for key in keys.sorted() {
            #expect(Catalogue.standard.defines(key, in: .zhHans) && Catalogue.standard.defines(key, in: .en), "\(key) lacks a translation")
        }
    }

    /// Every key a page or message asks for by its literal name (`t("field.name")`): a key missing
    /// from the catalogue would reach the page as it is written (the session page once showed
    /// "field.idNumber" as a column heading).
    @Test func everyKeyAskedForByNameHasChineseAndEnglish() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let literal = try Regex(#"\bt\("([a-z][A-Za-z0-9_.]*)""#)
        var keys: Set<String> = []
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: literal) { keys.insert(String(match.output[1].substring!)) }
        }
        #expect(keys.count > 500)
        for key in keys.sorted() {
            #expect(Catalogue.standard.defines(key, in: .zhHans) && Catalogue.standard.defines(key, in: .en), "\(key) is asked for but not in the catalogue")
        }
    }

    @Test func everyPasswordRuleAndRecordKindHasItsText() {
        let policy = PasswordPolicy(commonPasswords: [])
        for rule in PasswordPolicy.Violation.allCases {
            #expect(rule.text(policy).text(.en) != rule.code && rule.text(policy).text(.en) != rule.message(policy), "\(rule)")
        }
        #expect(PasswordPolicy.Violation.tooShort.message(policy) == "密码至少 8 个字符")
        #expect(PasswordPolicy.Violation.tooShort.text(policy).text(.en) == "A password has at least 8 characters")
        for role in Role.allCases { #expect(Catalogue.standard.defines(role.catalogueKey, in: .en), "\(role)") }
    }

    @Test func anIssueKeepsItsCodeAndShowsInEitherLanguage() {
        // act
        let issues: [CensusIssue]
        switch CensusHeader.standard.record(from: SpreadsheetRow(number: 7, cells: [.text("张三"), .text("11010519491231002")]),
                                           today: CivilDate(year: 2025, month: 1, day: 1)!) {
        case .failure(let found): issues = found
        case .success: issues = []
        }
        // check
        let id = issues.first { $0.code == "census.id.invalid" }
        #expect(id?.text.key == "id.length")
        #expect(id?.message == "身份证号应为 18 位，实际为 17 位")
        #expect(id?.message(.en) == "An ID number has 18 characters; this one has 17")
    }

    @Test func verbatimBilingualAndNamedArguments() {
        #expect(CatalogueMessage.verbatim("旧消息").text(.en) == "旧消息")
        #expect(CatalogueMessage.bilingual(chinese: "中", english: "E").text(.en) == "E")
        #expect(CatalogueMessage.bilingual(chinese: "中", english: "E").text(.zhHans) == "中")
        let scoped = CatalogueMessage("grant.region.missing", CatalogueMessage.name(Role.official))
        #expect(scoped.text(.zhHans) == "业务人员须指定地区 --region")
        #expect(scoped.text(.en) == "Official accounts need a region (--region)")
    }

    @Test func listAndMessageArgumentsFollowTheOuterLanguage() {
        // setup
        let shape = CatalogueMessage("policy.shape.scalar", "county")
        let inner = CatalogueMessage("policy.type.sequence", CatalogueMessage.message(shape))
        let allowed = CatalogueMessage("policy.key.unknown", "colour", CatalogueMessage.list(["id", "name"]))
        // act + check
        #expect(allowed.text(.zhHans) == "未知的键“colour”（此处允许：id、name）")
        #expect(allowed.text(.en) == "Unknown key “colour” (allowed here: id, name)")
        #expect(inner.text(.en) == "A list is expected here; found the value “county”")
        // A message inside a message inside a message: each keeps its arguments.
        let stored = CatalogueMessage("policy.stored_invalid", "p-1", CatalogueMessage.message(inner))
        #expect(stored.text(.en) == "The stored policy p-1 cannot be read: A list is expected here; found the value “county”")
        #expect(stored.chinese == "已存政策 p-1 无法解析：这里应为列表，实际为值“county”")
        let listed = CatalogueMessage("policy.error.line", "4", CatalogueMessage.message(allowed))
        #expect(listed.text(.en) == "Line 4: Unknown key “colour” (allowed here: id, name)")
    }

    @Test func aPolicyErrorEncodesAsBeforeAndDecodesItsMessageAsWritten() throws {
        // setup
        let error = PolicyError(line: 12, path: "versions[0].amounts.社会工作师", code: "policy.amount.fraction", "0.001")
        // act
        let data = try JSONEncoder().encode(error)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let decoded = try JSONDecoder().decode(PolicyError.self, from: data)
        // check
        #expect(Set(object.keys) == ["line", "path", "code", "message"])
        #expect(object["message"] as? String == "金额以元为单位、最多精确到分（两位小数），“0.001”元不是整分")
        #expect(error.message(.en) == "Amounts are in yuan, to the fen at most (two decimal places); “0.001” yuan is not a whole number of fen")
        #expect(decoded.message(.en) == error.message)
        #expect(error.description == "第 12 行 versions[0].amounts.社会工作师：金额以元为单位、最多精确到分（两位小数），“0.001”元不是整分")
        #expect(error.textWithLine.text(.en).hasPrefix("Line 12: Amounts are in yuan"))
    }

    @Test func anIssueEncodesAsBeforeAndDecodesItsMessageAsWritten() throws {
        // setup
        let issue = CensusIssue(row: 3, column: .mobile, value: "12", code: "census.mobile.invalid", text: .init("mobile.length", "2"))
        // act
        let data = try JSONEncoder().encode(issue)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let decoded = try JSONDecoder().decode(CensusIssue.self, from: data)
        // check
        #expect(Set(object.keys) == ["row", "column", "value", "code", "message"])
        #expect(object["message"] as? String == "手机号应为 11 位数字，实际为 2 位")
        #expect(decoded.message(.en) == issue.message)
    }
}
