import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The incentive pages as typed views (issue #11 §4): what a user typed — a policy's name and
/// source, a person's name, a review reason, a key in a policy file — comes back as text, never
/// as markup, on every page that shows it; an English page shows no Chinese but the data the
/// test itself entered; a batch names its policy.
final class IncentivesTypedPageTests: XCTestCase {
    /// Markup and both quotes in one value.
    static let awardName = #"Award <script>alert("award")</script> & 'q'"#
    static let allowanceName = #"Allowance <script>alert("allowance")</script> & 'q'"#
    static let sourceName = #"Circular "<i>7</i>" & 'x'"#
    static let personName = #"Ann <script>alert('p')</script> "Q""#
    static let reason = #"Needs <script>alert("r")</script> & 'more'"#

    /// How the page writes a value (the escaper's entities: `&#39;` and `&quot;`).
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// A policy file with Latin names; the certificate levels are the format's own (Chinese) keys.
    static func yaml(id: String, name: String, jurisdiction: String, kind: String, reviewLevels: String, rules: String) -> String {
        func q(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return """
        id: \(id)
        name: \(q(name))
        name_en: \(q(name))
        jurisdiction: "\(jurisdiction)"
        kind: \(kind)
        review_levels: [\(reviewLevels)]
        sources:
          circular:
            document: \(q(sourceName))
        versions:
          - from: 2025-01-01
            source: circular
            amounts:
              助理社会工作师: 500
              社会工作师: 1000
              高级社会工作师: 3000
        \(rules)
        """
    }

    static let awardYAML = yaml(id: "latin-award", name: awardName, jurisdiction: "421000", kind: "one_time_award", reviewLevels: "county, city",
                                rules: "    application_window:\n      within: 1 year\n      inclusive: true\n    upgrade: difference")
    static let allowanceYAML = yaml(id: "latin-allowance", name: allowanceName, jurisdiction: "421002", kind: "monthly_allowance",
                                    reviewLevels: "county", rules: "    pro_rata: eligible_on_first_day\n    budget_cap:\n      amount: 100000\n      per: year")

    /// Han characters of an English page outside the policy file in the editor's text area (the
    /// file as typed: this test's files name the certificate levels by their Chinese keys, the new
    /// policy starts from the shipped Jingzhou file) and the language switch (which names Chinese
    /// in Chinese, `lang="zh-Hans"`). The demo's regions are Chinese too, and these pages show
    /// region names where they showed codes (issue #17), and those names are excluded (`regionNames`);
    /// any other Chinese fails the test, as does a certificate level or post category stored in Chinese.
    static func chinese(in html: String) -> [String] {
        let text = withoutTextArea(html).replacingOccurrences(of: #"lang="zh-Hans">\#(Language.zhHans.nativeName)<"#, with: "")
        var runs: [String] = [], run = ""
        for scalar in text.unicodeScalars {
            let han = (0x3400...0x9FFF).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value) || (0x20000...0x2FFFF).contains(scalar.value)
            if han { run.unicodeScalars.append(scalar) } else if !run.isEmpty { runs.append(run); run = "" }
        }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// The page without its text area's content.
    static func withoutTextArea(_ html: String) -> String {
        guard let start = html.range(of: "<textarea"), let end = html.range(of: "</textarea>", range: start.upperBound..<html.endIndex) else { return html }
        return String(html[..<start.lowerBound] + html[end.upperBound...])
    }

    /// Everything of `value` the page shows is escaped text: the value as entities, no tag of it.
    func assertEscaped(_ html: String, _ value: String, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(html.contains(Self.escaped(value)), "\(page) shows \(value) as text", file: file, line: line)
        XCTAssertFalse(html.contains("<script") || html.contains("<i>7"), "\(page) writes no markup from data", file: file, line: line)
    }

    /// The stored names of the regions these pages show instead of their codes (issue #17: names
    /// for codes; regions have Chinese names only): data, like the people's names.
    static let regionNames: Set<String> = ["荆州市", "沙市区"]

    func assertEnglish(_ html: String, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Self.chinese(in: html).filter { !Self.regionNames.contains($0) }, [], "\(page) in English shows Chinese", file: file, line: line)
    }

    struct Fixture {
        var person: String
        var worker: BrowserSession
        var official: BrowserSession
    }

    /// Both policies loaded, one person in 沙市区 (荆州) certified five months ago, the person's
    /// own account and a read-write official of 荆州市, both reading English.
    func fixture(_ app: Application) async throws -> Fixture {
        for yaml in [Self.awardYAML, Self.allowanceYAML] {
            _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
        }
        var row = CensusRow()
        row.name = "\"" + Self.personName.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        row.region = "421002"; row.level = "社会工作师"; row.issued = CivilDate.today().adding(months: -5).description
        row.employer = ""; row.fields = ""; row.education = ""; row.degree = ""
        let report = try await importFile(app, try writeTemp(CensusRow.csv([row])))
        XCTAssertEqual(report.rejectedRows, 0, "\(report.issues)")
        let person = try await PersonStore(db: app.db, cipher: app.shegong.cipher).list(PersonFilter()).items.first!
        XCTAssertEqual(person.name, Self.personName)
        let worker = BrowserSession(app), official = BrowserSession(app)
        try await worker.signIn(as: .socialWorker(person: person.id), username: "ann.worker")
        try await official.signIn(as: .official(region: try RegionCode.parse("421000").get(), access: .readWrite), username: "jingzhou.rw")
        worker.cookies["lang"] = "en"
        official.cookies["lang"] = "en"
        return Fixture(person: person.id, worker: worker, official: official)
    }

    func testAWorkersEligibilityAndApplicationShowTypedValuesAsTextInEnglish() async throws {
        try await withApp { app in
            // setup
            let f = try await fixture(app)
            // act: the worker looks at their eligibility and applies for the award
            let eligibility = try await f.worker.send(.GET, "/incentives/eligibility/\(f.person)")
            let applied = try await f.worker.send(.POST, "/incentives/applications",
                                                  form: ["person": f.person, "policy": "latin-award", "certificate": "2024620001"])
            let location = try XCTUnwrap(applied.headers.first(name: .location), applied.body.string)
            let application = try await f.worker.send(.GET, location)
            let overview = try await f.worker.send(.GET, "/incentives")
            // check
            XCTAssertEqual(eligibility.status, .ok)
            for value in [Self.personName, Self.awardName, Self.allowanceName, Self.sourceName] {
                assertEscaped(eligibility.body.string, value, "the eligibility page")
            }
            assertEnglish(eligibility.body.string, "the eligibility page")
            XCTAssertEqual(application.status, .ok)
            for value in [Self.personName, Self.awardName] { assertEscaped(application.body.string, value, "the application page") }
            XCTAssertTrue(application.body.string.contains("Social Worker 2024620001"), "the level in English, not its stored Chinese title")
            assertEnglish(application.body.string, "the application page")
            assertEscaped(overview.body.string, Self.awardName, "the worker's overview")
            assertEnglish(overview.body.string, "the worker's overview")
        }
    }

    func testAReviewReasonComesBackAsTextOnTheApplicationPage() async throws {
        try await withApp { app in
            // setup: the worker's application
            let f = try await fixture(app)
            try await f.worker.send(.GET, "/incentives/eligibility/\(f.person)")
            let applied = try await f.worker.send(.POST, "/incentives/applications",
                                                  form: ["person": f.person, "policy": "latin-award", "certificate": "2024620001"])
            let location = try XCTUnwrap(applied.headers.first(name: .location))
            // act: the official returns it with a reason full of markup
            let before = try await f.official.send(.GET, location)
            let returned = try await f.official.send(.POST, location + "/review", form: ["action": "return", "reason": Self.reason])
            let seenByWorker = try await f.worker.send(.GET, location)
            // check
            XCTAssertTrue(before.body.string.contains(#"id="review-form""#))
            assertEnglish(before.body.string, "the application page with its review form")
            XCTAssertEqual(returned.status, .ok, returned.body.string)
            for html in [returned.body.string, seenByWorker.body.string] {
                assertEscaped(html, Self.reason, "the returned application")
                assertEscaped(html, Self.personName, "the returned application")
                assertEnglish(html, "the returned application")
            }
        }
    }

    func testABatchNamesItsPolicyAndEveryBatchPageShowsTypedValuesAsTextInEnglish() async throws {
        try await withApp { app in
            // setup
            let f = try await fixture(app)
            try await f.official.send(.GET, "/incentives")
            // act: the official runs this month's allowance and opens the batch and a line
            let run = try await f.official.send(.POST, "/incentives/allowance-runs",
                                                form: ["policy": "latin-allowance", "month": CivilMonth(CivilDate.today()).description])
            let batchID = try await app.sql.raw("SELECT id FROM payment_batches").first()!.decode(column: "id", as: String.self)
            let lineID = try await app.sql.raw("SELECT id FROM payment_lines").first()!.decode(column: "id", as: String.self)
            let overview = try await f.official.send(.GET, "/incentives")
            let batch = try await f.official.send(.GET, "/incentives/batches/\(batchID)")
            let line = try await f.official.send(.GET, "/incentives/lines/\(lineID)")
            // check
            XCTAssertEqual(run.status, .ok, run.body.string)
            XCTAssertTrue(run.body.string.contains(#"class="alert ok""#), "the run says what it did")
            for value in [Self.awardName, Self.allowanceName] { assertEscaped(overview.body.string, value, "the overview") }
            assertEnglish(run.body.string, "the overview after a run")
            assertEnglish(overview.body.string, "the overview")
            XCTAssertEqual(batch.status, .ok)
            XCTAssertTrue(batch.body.string.contains("<dd>\(Self.escaped(Self.allowanceName))</dd>"), "the batch names its policy")
            XCTAssertFalse(batch.body.string.contains("<dd>latin-allowance</dd>"), "not its id")
            assertEscaped(batch.body.string, Self.personName, "the batch page")
            assertEnglish(batch.body.string, "the batch page")
            XCTAssertEqual(line.status, .ok)
            for value in [Self.allowanceName, Self.sourceName] { assertEscaped(line.body.string, value, "the line page") }
            assertEnglish(line.body.string, "the line page")
        }
    }

    func testThePolicyPagesAndTheEditorShowTheFileAndItsErrorsAsTextInEnglish() async throws {
        try await withApp { app in
            // setup
            let f = try await fixture(app)
            let badKey = #"<b>"odd"</b>"#
            let broken = Self.awardYAML.replacingOccurrences(of: "upgrade: difference", with: "upgrade: difference\n    \"\(badKey.replacingOccurrences(of: "\"", with: "\\\""))\": 1")
            // act
            let policy = try await f.official.send(.GET, "/incentives/policies/latin-award")
            let checked = try await f.official.send(.POST, "/incentives/policies", form: ["yaml": Self.awardYAML, "action": "check"])
            let simulated = try await f.official.send(.POST, "/incentives/policies",
                                                      form: ["yaml": Self.allowanceYAML, "action": "simulate", "month": "2026-06"])
            let refused = try await f.official.send(.POST, "/incentives/policies", form: ["yaml": broken, "action": "check"])
            let new = try await f.official.send(.GET, "/incentives/policies/new")
            // check: the file comes back in the text area as text, the names and source as text
            XCTAssertEqual(policy.status, .ok)
            for value in [Self.awardName, Self.sourceName] { assertEscaped(policy.body.string, value, "the policy page") }
            XCTAssertTrue(policy.body.string.contains("Social Worker CNY 1,000.00"), "amounts by level, in English, as every incentive page writes money")
            assertEnglish(policy.body.string, "the policy page")
            assertEscaped(checked.body.string, Self.awardName, "the checked file")
            XCTAssertTrue(checked.body.string.contains(#"class="alert ok""#))
            assertEnglish(checked.body.string, "the checked file")
            XCTAssertTrue(simulated.body.string.contains(#"id="simulation""#))
            XCTAssertTrue(simulated.body.string.contains(#"value="2026-06""#), "the month asked stays in its field")
            assertEnglish(simulated.body.string, "the simulation")
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(#"id="policy-errors""#))
            XCTAssertTrue(refused.body.string.contains(Self.escaped(badKey)), "the unknown key is named, as text")
            XCTAssertFalse(refused.body.string.contains("<b>\""), "no markup from the file")
            assertEnglish(refused.body.string, "the editor with errors")
            XCTAssertEqual(new.status, .ok)
            assertEnglish(new.body.string, "the new-policy editor")
        }
    }
}
