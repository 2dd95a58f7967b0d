import Foundation
import ShegongDomain
@testable import ShegongWeb
import XCTest

/// The typed HTML every page is built with: values are escaped by construction, links stay on the
/// site, and the one table component writes reports as the statistics pages need them.
final class TypedHTMLTests: XCTestCase {
    func testTextAndAttributeValuesAreEscapedWhenWritten() {
        let hostile = #"<script>alert("x")</script>' onmouseover='y"#
        let html = Node.p(.class(hostile), .title(hostile), .text(hostile)).render()
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("' onmouseover"))
        XCTAssertEqual(html, #"<p class="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y" title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y</p>"#)
        // A quote followed by a combining mark is one Character but still escaped.
        XCTAssertFalse(Node.a(.title("\"\u{301} onclick=x")).render().contains("\"\u{301}"))
    }

    func testLinksFromDataCannotLeaveTheSite() {
        for address in ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "/\\evil.example", " javascript:x"] {
            XCTAssertEqual(Node.link(address, "x").render(), ##"<a href="#">x</a>"##, address)
        }
        XCTAssertEqual(Node.link("/people/1?tab=a&b=c", "x").render(), #"<a href="/people/1?tab=a&amp;b=c">x</a>"#)
    }

    func testAttributesInsideGroupsAndConditionsGoIntoTheStartTag() {
        let html = Node.div(.if(true, .class("on")), .group(.id("d"), "text"), .unwrap(nil as String?) { .title($0) }, .required(false)).render()
        XCTAssertEqual(html, #"<div class="on" id="d">text</div>"#)
        XCTAssertEqual(Node.input(.name("n"), .required()).render(), #"<input name="n" required>"#)
    }

    func testAReportTableIsEscapedWithNumbersMarkedAndRowsHeaded() {
        let table = ReportTable(title: "酒泉市各县持证人数", columns: ["地区", "持证人数", "持证率（%）"],
                                rows: [[.text("肃州区"), .value(268), .value(52.5)], [.text("=HYPERLINK(\"http://x\")"), .value(0), .empty]],
                                notes: ["截至 2025-06-30"])
        let html = DataTable(report: table, formats: [1: .count], links: ["/regions/620902", "javascript:x"]).node().render()
        XCTAssertTrue(html.hasPrefix(#"<table class="report"><caption>酒泉市各县持证人数</caption>"#), html)
        XCTAssertTrue(html.contains(#"<th scope="row"><a href="/regions/620902">肃州区</a></th><td class="num">268</td><td class="num">52.5</td>"#), html)
        XCTAssertTrue(html.contains(#"<th scope="row">=HYPERLINK(&quot;http://x&quot;)</th>"#), html)
        XCTAssertTrue(html.contains(#"<tfoot><tr><td colspan="3">截至 2025-06-30</td></tr></tfoot>"#), html)
    }

    func testAnEmptyListShowsItsNoticeInsteadOfAnEmptyTable() {
        let empty = DataTable(id: "people", columns: [.init("姓名")], rows: [], empty: "没有记录").node().render()
        XCTAssertEqual(empty, #"<p class="alert info" role="status">没有记录</p>"#)
    }
}
