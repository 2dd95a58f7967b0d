import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The one region picker (docs/ui.md "The region picker"): wherever a region is entered or
/// filtered, lists from the top of the caller's scope down (province → city → county → township →
/// community), each region by its name, and a search by name answered by the server. It works
/// without script: the lists are plain `<select>`s named `NAME_1`, `NAME_2`…, and the button
/// `NAME_go` sends the form back to open the next level or show the matches of `NAME_q` (a form
/// that saves takes it as "not yet"); a hidden nameless submit button comes first, so Enter in any
/// field of the form does the form's own action, not the picker's; `/static/region-picker-N.js`, where the browser runs it,
/// opens the next level at once from `GET /api/v1/region-choices`. What the form submits is read
/// back with `RegionPick.read`, which gives the region code.
struct RegionPicker {
    var name: String
    var label: String
    var picker: RegionService.Picker
    /// The search text to show again (nil once a match was taken).
    var search: String?
    var error: String?
    var required = false

    /// The caller's scope is one region with nothing below it on file (a county official before
    /// townships are added): there is nothing to choose, so the region stands as fixed text — unless
    /// a text sent for it comes back to be shown beside its message (an unknown code typed in).
    var isFixed: Bool {
        picker.root.level != .nation && picker.levels.allSatisfy { $0.options.isEmpty } && (search ?? "").isEmpty
    }

    func node(_ ctx: PageContext) -> Node {
        let t = ctx.t
        let id = "f-" + name
        if isFixed { return fixed(ctx, id: id) }
        let levels = picker.levels.enumerated().map { index, level -> Node in
            // The first list's blank is the whole of the caller's region (its code, so a county official
            // without townships still names the county); below, "any" of the level.
            let blank = index > 0 ? (value: "", label: t("regionPicker.any"))
                : picker.root.level == .nation ? (value: "", label: t("regionPicker.whole", t("regionPicker.nation")))
                : (value: picker.root.code, label: t("regionPicker.whole", picker.root.name))
            let options = [blank] + level.options.map { (value: $0.code, label: $0.name) }
            let levelName = level.options.first.map { t("regionLevel.\($0.level.englishName)") } ?? ""
            return Node.select(.id("\(id)-\(index + 1)"), .name("\(name)_\(index + 1)"), .ariaLabel(t("regionPicker.level", label, levelName)),
                               .data("data-level", String(index + 1)),
                               .forEach(options) { option in .option(.value(option.value), .selected(option.value == (level.selected ?? (index == 0 ? blank.value : ""))), .text(option.label)) })
        }
        let matches: Node = picker.matches.isEmpty
            ? .if(!(search ?? "").isEmpty, .small(.class("hint"), .text(t("regionPicker.no_match", search ?? ""))))
            : Node.select(.id("\(id)-m"), .name("\(name)_m"), .ariaLabel(t("regionPicker.matches")),
                          .option(.value(""), .text(t("regionPicker.matches_count", String(picker.matches.count)))),
                          .forEach(picker.matches) { match in
                              .option(.value(match.code), .text(match.parentName.map { t("regionPicker.match", match.name, $0) } ?? match.name))
                          })
        let chosen: Node = .unwrap(picker.selected) { region in
            .p(.class("chosen"), .text(t("regionPicker.chosen") + " "), .span(.text(region.name)), " ", .span(.class("code"), .text(region.code)))
        }
        return .fieldset(.class("field", "region-picker", error == nil ? "" : "invalid"), .id(id), .data("data-picker", name), .data("data-any", t("regionPicker.any")),
                         .unwrap(error) { _ in .group(.invalid(), .ariaDescribedBy(id + "-error")) },
                         .legend(.text(label), .if(required, .span(.class("muted"), .text(" *")))),
                         // Enter in a field submits with the form's first submit button: this nameless one,
                         // before `NAME_go`, so Enter does what the form's own button does (save, search),
                         // not "next level". Off screen, out of the tab order, hidden from screen readers.
                         .button(.type("submit"), .class("default-submit"), .attribute("tabindex", "-1"), .attribute("aria-hidden", "true")),
                         .div(.class("levels"), .group(levels)),
                         .div(.class("search"),
                              .input(.id("\(id)-q"), .name("\(name)_q"), .type("search"), .value(search ?? ""),
                                     .placeholder(t("regionPicker.search")), .ariaLabel(t("regionPicker.search"))),
                              matches,
                              .button(.type("submit"), .name("\(name)_go"), .value("1"), .class("secondary"), .attribute("formnovalidate", nil),
                                      .text(t("regionPicker.go")))),
                         chosen,
                         .unwrap(error) { .small(.class("error"), .id(id + "-error"), .text($0)) },
                         .element("script", [.attribute("src", StaticAssets.regionPickerPath), .attribute("defer", nil)]))
    }
}

extension RegionPicker {
    /// The scope's one region by name, its code second, sent as the plain field `NAME` (which
    /// `RegionPick.read` takes when the form has no lists).
    func fixed(_ ctx: PageContext, id: String) -> Node {
        let root = picker.root
        return .fieldset(.class("field", "region-picker", "fixed", error == nil ? "" : "invalid"), .id(id),
                         .unwrap(error) { _ in .group(.invalid(), .ariaDescribedBy(id + "-error")) },
                         .legend(.text(label), .if(required, .span(.class("muted"), .text(" *")))),
                         .input(.type("hidden"), .name(name), .value(root.code)),
                         .p(.class("chosen"), .span(.text(root.name)), " ", .span(.class("code"), .text(root.code))),
                         .unwrap(error) { .small(.class("error"), .id(id + "-error"), .text($0)) })
    }
}

/// What a picker's form sent: the region code it names, the search text, and whether the user
/// only asked the picker to move on (`NAME_go`) rather than to submit the form.
struct RegionPick: Sendable {
    var code: String?
    var search: String?
    var moveOnly: Bool

    /// Reads the picker `name` from a form or query (`value` gives a field's value). A match chosen
    /// from the search wins; then one match only of a search; then the lists; a plain `NAME`
    /// (a link such as `/people?region=422826`) when the form had no lists.
    static func read(_ name: String, value: (String) -> String?, regions: RegionService) async throws -> RegionPick {
        func field(_ key: String) -> String? {
            guard let raw = value(key)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let search = field(name + "_q"), moveOnly = field(name + "_go") != nil
        if let match = field(name + "_m") { return RegionPick(code: match, search: nil, moveOnly: moveOnly) }
        let levels = (1...6).map { value("\(name)_\($0)") ?? "" }
        let fromLists = levels.contains { !$0.isEmpty } || value("\(name)_1") != nil
        let code = fromLists ? try await regions.resolvePick(levels: levels) : field(name)
        if let search {
            let matches = try await regions.choices(parent: nil, search: search, limit: 2)
            if matches.count == 1 { return RegionPick(code: matches[0].code, search: nil, moveOnly: moveOnly) }
        }
        return RegionPick(code: code, search: search, moveOnly: moveOnly)
    }
}

extension Request {
    /// The picker `name` of this GET request's query.
    func regionPick(_ name: String) async throws -> RegionPick {
        try await RegionPick.read(name, value: { self.queryValue($0) }, regions: try regionService)
    }

    /// The picker model for `code` with the matches of `search`.
    func regionPicker(_ name: String, label: String, selected code: String?, search: String?, error: String? = nil,
                      required: Bool = false) async throws -> RegionPicker {
        RegionPicker(name: name, label: label, picker: try await regionService.picker(selected: code, search: search),
                     search: search, error: error, required: required)
    }
}
