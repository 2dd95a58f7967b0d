import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17's remainder: what a person using Shegong every day would stumble on.
final class DailyOfficeTests: XCTestCase {
    /// The submit buttons of the form that holds the region picker, in page order: (name, class).
    func submitButtons(_ html: String, formWithPicker picker: String) -> [(name: String?, cls: String)] {
        var forms: [[(String?, String)]] = [], current: [(String?, String)]?, hasPicker = false
        for event in HTMLText.events(in: html) {
            switch event {
            case .open("form", _): current = []; hasPicker = false
            case .close("form"):
                if let buttons = current, hasPicker { forms.append(buttons) }
                current = nil
            case .open("fieldset", let a) where current != nil && a["data-picker"] == picker: hasPicker = true
            case .open("button", let a) where current != nil && (a["type"] ?? "submit") == "submit":
                current!.append((a["name"], a["class"] ?? ""))
            default: continue
            }
        }
        return forms.first?.map { (name: $0.0, cls: $0.1) } ?? []
    }

    /// Enter in a text field submits with the form's first submit button (HTML's implicit
    /// submission): in every form with the region picker that button must be a nameless one, which
    /// does what the form's own button does, not the picker's `NAME_go` ("next level", saves nothing).
    func testEnterInAFormWithTheRegionPickerDoesTheFormsOwnActionNotThePickers() async throws {
        try await withApp { app in
            // setup
            let browser = try await BrowserSession.signIn(app, grant: .nationalOfficial(.readWrite), username: "enter.official")
            for (path, picker) in [("/people/new", "regionCode"), ("/people", "region"), ("/organizations/new", "regionCode"), ("/export", "region")] {
                // act
                let page = try await browser.get(path)
                XCTAssertEqual(page.status, .ok, path)
                let buttons = submitButtons(page.body.string, formWithPicker: picker)
                // check: the first submit button has no name (the form's own action) and the picker's comes later
                XCTAssertFalse(buttons.isEmpty, "\(path): a form with the picker")
                XCTAssertNil(buttons.first?.name, "\(path): Enter would press \(buttons.first?.name ?? "")")
                XCTAssertTrue(buttons.dropFirst().contains { $0.name == "\(picker)_go" }, "\(path): \(buttons)")
            }
        }
    }
}
