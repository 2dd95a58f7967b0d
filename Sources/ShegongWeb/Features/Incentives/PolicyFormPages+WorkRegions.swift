import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// A policy version's work regions on the form (issue #17 §1: regions by name wherever one is
/// entered): the regions below the paying region ticked by name, the code beside it as secondary
/// text. Each tick is a box `v<i>_wr_<code>`; before the form is read they become the version's
/// `v<i>_work_regions` (codes separated by spaces, as `PolicyForm` and the policy file have them),
/// so the written file keeps its shape.
struct WorkRegionChoice: Sendable, Equatable {
    var code: String
    var name: String
}

extension PolicyFormPages {
    /// The box of region `code` in version block `v` (`"v0_"`).
    static func workRegionBox(_ v: String, _ code: String) -> String { v + "wr_" + code }

    /// The form's fields with each version's ticked regions gathered into `v<i>_work_regions`, the
    /// boxes themselves removed. A `v<i>_work_regions` sent as text (a client of the old form) is kept
    /// and the ticks are added to it.
    static func gatherWorkRegions(_ fields: [String: String]) -> [String: String] {
        var out: [String: String] = [:], ticked: [String: [String]] = [:]
        for (key, value) in fields {
            guard let range = key.range(of: "_wr_"), key.hasPrefix("v"), case let index = key[key.index(after: key.startIndex)..<range.lowerBound],
                  !index.isEmpty, index.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                out[key] = value
                continue
            }
            let code = String(key[range.upperBound...])
            if !value.trimmingCharacters(in: .whitespaces).isEmpty, !code.isEmpty {
                ticked[String(key[..<range.lowerBound]) + "_work_regions", default: []].append(code)
            }
        }
        for (key, codes) in ticked {
            let typed = out[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            out[key] = ([typed].filter { !$0.isEmpty } + codes.sorted()).joined(separator: " ")
        }
        return out
    }

    /// The regions a version may be limited to: those below the paying region in force (below a
    /// province or a city, down to the counties), each by name; codes already chosen that are not
    /// among them (a region since abolished) stay offered, by name where it is known. `jurisdiction`
    /// is the region the form's picker shows (nil: none the caller may see, so nothing below it).
    static func workRegionChoices(_ req: Request, jurisdiction: String?, chosen: [String]) async throws -> [WorkRegionChoice] {
        let regions = try req.regionService
        var found: [WorkRegionChoice] = []
        if let jurisdiction {
            for child in try await regions.choices(parent: jurisdiction, search: nil, limit: 200) {
                found.append(WorkRegionChoice(code: child.code, name: child.name))
                guard child.level < .county else { continue }
                for grandchild in try await regions.choices(parent: child.code, search: nil, limit: 200) {
                    found.append(WorkRegionChoice(code: grandchild.code, name: grandchild.name))
                }
            }
        }
        let offered = Set(found.map(\.code))
        let others = Array(Set(chosen).subtracting(offered)).sorted()
        let names = others.isEmpty ? [:] : try await regions.names(of: others)
        return found + others.map { WorkRegionChoice(code: $0, name: names[$0] ?? $0) }
    }

    /// Every code named in the form's versions' work regions.
    static func chosenWorkRegions(_ form: PolicyForm) -> [String] {
        form.fields.filter { $0.key.hasSuffix("_work_regions") }.values.flatMap(PolicyFormView.codes)
    }
}

extension PolicyFormView {
    /// The codes of a `v<i>_work_regions` value.
    static func codes(_ text: String) -> [String] {
        text.split(whereSeparator: { " ,，、;；\n\r\t".contains($0) }).map(String.init)
    }

    /// The work regions of version block `v`: one box a region, its name and code.
    static func workRegions(_ ctx: PageContext, _ form: PolicyForm, _ v: String, choices: [WorkRegionChoice]) -> Node {
        let t = ctx.t
        let chosen = Set(codes(form.value(v + "work_regions")))
        return .fieldset(.class("checks", "work-regions"), .id("f-\(v)work_regions"),
                         .legend(.text(t("policyForm.work_regions"))),
                         .small(.class("hint"), .text(t(choices.isEmpty ? "policyForm.work_regions_none" : "policyForm.work_regions_hint"))),
                         .forEach(choices) { choice in
                             let name = PolicyFormPages.workRegionBox(v, choice.code), id = "f-" + name
                             return .div(.class("field", "check"),
                                         .input(.id(id), .name(name), .type("checkbox"), .value("on"), .checked(chosen.contains(choice.code))),
                                         .label(.for(id), .text(choice.name), " ", .span(.class("code"), .text(choice.code))))
                         })
    }
}
