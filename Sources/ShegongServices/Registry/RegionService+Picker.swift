import Foundation
import ShegongDomain
import ShegongStore

extension RegionService {
    /// What a region picker shows (docs/ui.md "The region picker"): one list per level from the
    /// top of the caller's scope down to the chosen region, each with the chosen one marked, the
    /// list of the level below it, and the regions whose name matches a search. Officials and
    /// department operators see their own subtree; callers whose scope is not drawn over regions
    /// (administrators granting a region, organisation managers registering staff) the nation.
    public struct Picker: Sendable {
        public struct Level: Sendable {
            public var options: [RegionChoice]
            public var selected: String?
        }
        /// The top of the caller's scope (the nation, or the official's region).
        public var root: Region
        /// The region chosen (nil: none, or one the caller may not see).
        public var selected: Region?
        public var levels: [Level]
        public var matches: [RegionChoice]
    }

    /// The subtree a picker stays in: the caller's region, or the nation.
    var pickerScope: RegionSubtree? { caller.scope.regionSubtree }

    /// The children of `parent` (nil: the top of the caller's scope) in force, or with `search` the
    /// regions in scope whose name contains it; a parent outside the scope is the audited 404.
    public func choices(parent: String?, search: String?, limit: Int = 50) async throws -> [RegionChoice] {
        let parentCode: String
        if let parent, !parent.isEmpty {
            parentCode = try await context.region(caller, code: parent, field: "parent").code
        } else {
            parentCode = homeRegionCode
        }
        return try await context.regions.choices(parent: parentCode, search: search, within: pickerScope, limit: min(max(limit, 1), 200))
    }

    /// The code a picker's lists submitted: the deepest list whose region lies under the one above
    /// it (a list left from an earlier choice, under another region, ends the walk — so a browser
    /// without script may change a higher list and submit). Regions outside the scope are ignored.
    public func resolvePick(levels: [String]) async throws -> String? {
        let codes = levels.map { $0.trimmingCharacters(in: .whitespaces) }
        let known = try await context.regions.regions(codes: codes.filter { !$0.isEmpty })
        var chosen: Region?
        for code in codes {
            guard !code.isEmpty, let region = known[code], ServiceContext.mayRead(caller.scope, region), !region.placeholder else { break }
            if let above = chosen, !region.path.codesFromRoot.contains(above.code) { break }
            chosen = region
        }
        return chosen?.code
    }

    /// The picker for `selected` (a code the caller may not see or that is unknown is no choice)
    /// with the matches of `search`.
    public func picker(selected code: String?, search: String?) async throws -> Picker {
        let root = try await context.region(caller, code: homeRegionCode, field: "region")
        var selected: Region?
        if let code, !code.isEmpty, code != root.code, let region = try await context.regions.region(code: code),
           ServiceContext.mayRead(caller.scope, region), region.path.codesFromRoot.contains(root.code) || root.level == .nation {
            selected = region
        }
        // The chain below the root down to the chosen region.
        var chain: [String] = []
        if let selected {
            let path = selected.path
            chain = RegionLevel.allCases.filter { $0 > root.level }.compactMap { path[$0] }
        }
        var levels: [Picker.Level] = []
        var parent = root.code
        for code in chain {
            levels.append(.init(options: try await context.regions.choices(parent: parent, search: nil, within: pickerScope, limit: 500),
                                selected: code))
            parent = code
        }
        let below = try await context.regions.choices(parent: parent, search: nil, within: pickerScope, limit: 500)
        // The first list is always there: its blank choice is the top of the scope itself.
        if !below.isEmpty || levels.isEmpty { levels.append(.init(options: below, selected: nil)) }
        let text = (search ?? "").trimmingCharacters(in: .whitespaces)
        let matches = text.isEmpty ? [] : try await context.regions.choices(parent: nil, search: text, within: pickerScope, limit: 20)
        return Picker(root: root, selected: selected, levels: levels, matches: matches)
    }
}
