import Foundation
import Yams

extension IncentivePolicy {
    /// Reads a policy file (format: `docs/policies.md`). Strict: unknown keys, wrong types,
    /// amounts finer than a fen, overlapping versions, unknown levels or categories… all come
    /// back as `PolicyError`s with line and key path, every problem at once.
    ///
    /// Versions after the first inherit every rule they do not restate from the version before
    /// them (not `from`, `to` and `notes`), so a change from a date is written as the change only.
    public static func parse(yaml text: String) -> Result<IncentivePolicy, PolicyErrorList> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(PolicyErrorList([PolicyYAMLReader.syntaxError(error)]))
        } catch {
            return .failure(PolicyErrorList([PolicyYAMLReader.unreadable(error)]))
        }
        guard let root else {
            return .failure(PolicyErrorList([PolicyError(line: 1, path: "", code: "policy.yaml.empty")]))
        }
        var reader = PolicyYAMLReader()
        let policy = reader.policy(root)
        if let policy, reader.errors.isEmpty {
            let semantic = policy.validationErrors().map { error -> PolicyError in
                var located = error
                located.line = reader.line(for: error.path)
                return located
            }
            if semantic.isEmpty { return .success(policy) }
            return .failure(PolicyErrorList(semantic))
        }
        return .failure(PolicyErrorList(reader.errors))
    }
}

/// Walks the composed YAML tree by hand (rather than `Decodable`) so every key is checked against
/// the format, every value keeps its line, and amounts are read from their text, never through a
/// `Double`.
struct PolicyYAMLReader {
    private(set) var errors: [PolicyError] = []
    /// Line of every key path seen, for locating the semantic checks' errors.
    private var lines: [String: Int] = [:]

    /// Yams' own description of the problem is passed on as it is (English, in every language).
    static func syntaxError(_ error: YamlError) -> PolicyError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PolicyError(line: mark.line, path: "", code: "policy.yaml.syntax", String(mark.column), problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PolicyError(line: context.mark.line, path: "", code: "policy.key.duplicate", CatalogueMessage.list(duplicates))
        default:
            return unreadable(error)
        }
    }

    static func unreadable(_ error: any Error) -> PolicyError {
        PolicyError(path: "", code: "policy.yaml.syntax", text: CatalogueMessage("policy.yaml.unreadable", "\(error)"))
    }

    /// The line of `path`, or of its nearest enclosing key that has one.
    func line(for path: String) -> Int? {
        var current = path
        while true {
            if let line = lines[current] { return line }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return lines[""] }
            current = String(current[..<cut])
        }
    }

    private mutating func fail(_ node: Node?, _ path: String, code: String, text: CatalogueMessage) {
        errors.append(PolicyError(line: node?.mark?.line ?? line(for: path), path: path, code: code, text: text))
    }

    /// A problem worded by the catalogue entry of its own code.
    private mutating func fail(_ node: Node?, _ path: String, code: String, _ arguments: String...) {
        fail(node, path, code: code, text: CatalogueMessage(code, arguments: arguments))
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Shapes

    /// The mapping's values by key; unknown and missing keys reported.
    private mutating func mapping(_ node: Node, _ path: String, allowed: [String], required: [String] = []) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            fail(node, path, code: "policy.type.mapping", PolicyYAMLReader.shapeName(node))
            return nil
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                fail(keyNode, path, code: "policy.key.type")
                continue
            }
            let keyPath = PolicyYAMLReader.join(path, key)
            lines[keyPath] = keyNode.mark?.line
            guard allowed.contains(key) else {
                fail(keyNode, keyPath, code: "policy.key.unknown", key, CatalogueMessage.list(allowed))
                continue
            }
            values[key] = value
        }
        for key in required where values[key] == nil {
            fail(node, PolicyYAMLReader.join(path, key), code: "policy.key.missing", key)
        }
        return values
    }

    private mutating func sequence(_ node: Node, _ path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            fail(node, path, code: "policy.type.sequence", PolicyYAMLReader.shapeName(node))
            return nil
        }
        for (index, item) in sequence.enumerated() { lines["\(path)[\(index)]"] = item.mark?.line }
        return Array(sequence)
    }

    /// The scalar's text exactly as written (no YAML type resolution: `500.00` stays `500.00`).
    private mutating func text(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, path, code: "policy.type.scalar", PolicyYAMLReader.shapeName(node))
            return nil
        }
        return scalar.string
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What was found instead, as an argument in the message's language.
    private static func shapeName(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return CatalogueMessage.message(CatalogueMessage("policy.shape.scalar", scalar.string))
        case .mapping: return CatalogueMessage.message(CatalogueMessage("policy.shape.mapping"))
        case .sequence: return CatalogueMessage.message(CatalogueMessage("policy.shape.sequence"))
        case .alias: return CatalogueMessage.message(CatalogueMessage("policy.shape.alias"))
        }
    }

    private mutating func nonEmptyText(_ node: Node, _ path: String) -> String? {
        guard let value = text(node, path) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            fail(node, path, code: "policy.value.empty")
            return nil
        }
        return trimmed
    }

    private mutating func bool(_ node: Node, _ path: String) -> Bool? {
        guard let value = text(node, path) else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default:
            fail(node, path, code: "policy.value.bool", value)
            return nil
        }
    }

    private mutating func date(_ node: Node, _ path: String) -> CivilDate? {
        guard let value = text(node, path) else { return nil }
        guard let date = CivilDate(iso: value) else {
            fail(node, path, code: "policy.value.date", value)
            return nil
        }
        return date
    }

    private mutating func count(_ node: Node, _ path: String) -> Int? {
        guard let value = text(node, path) else { return nil }
        guard value.allSatisfy({ $0.isASCII && $0.isNumber }), !value.isEmpty, value.count <= 6, let number = Int(value) else {
            fail(node, path, code: "policy.value.count", value)
            return nil
        }
        return number
    }

    private mutating func region(_ node: Node, _ path: String) -> RegionCode? {
        guard let value = text(node, path) else { return nil }
        switch RegionCode.parse(value) {
        case .success(let code): return code
        case .failure(let error):
            fail(node, path, code: "policy.value.region", CatalogueMessage.message(error.text), value)
            return nil
        }
    }

    /// Yuan as written → fen, exactly.
    private mutating func fen(_ node: Node, _ path: String) -> Int? {
        guard let value = text(node, path) else { return nil }
        switch PolicyMoney.fen(fromYuan: value) {
        case .success(let fen): return fen
        case .failure(.negative):
            fail(node, path, code: "policy.amount.negative", value)
        case .failure(.finerThanFen):
            fail(node, path, code: "policy.amount.fraction", value)
        case .failure(.tooLarge):
            fail(node, path, code: "policy.amount.large", value)
        case .failure(.notANumber):
            fail(node, path, code: "policy.amount.format", value)
        }
        return nil
    }

    /// A value from a fixed vocabulary.
    private mutating func choice<T>(_ node: Node, _ path: String, _ what: PolicyTerm, _ options: [(String, T)]) -> T? {
        guard let value = text(node, path) else { return nil }
        if let match = options.first(where: { $0.0 == value }) { return match.1 }
        fail(node, path, code: "policy.value.unknown", CatalogueMessage.name(what), value, CatalogueMessage.list(options.map(\.0)))
        return nil
    }

    private mutating func list<T>(_ node: Node, _ path: String, _ item: (inout PolicyYAMLReader, Node, String) -> T?) -> [T]? {
        guard let nodes = sequence(node, path) else { return nil }
        var result: [T] = []
        var ok = true
        for (index, child) in nodes.enumerated() {
            if let value = item(&self, child, "\(path)[\(index)]") { result.append(value) } else { ok = false }
        }
        return ok ? result : nil
    }

    // MARK: Vocabulary

    static let levels = CertificateLevel.allCases.map { ($0.rawValue, $0) }
    static let categories = PostCategory.allCases.map { ($0.rawValue, $0) }
    static let employerKinds = EmployerKind.allCases.map { ($0.rawValue, $0) }
    static let regionLevels = RegionLevel.allCases.map { ($0.englishName, $0) }
    static let kinds = IncentiveKind.allCases.map { ($0.rawValue, $0) }
    static let upgrades = UpgradeRule.allCases.map { ($0.rawValue, $0) }
    static let proRatas = ProRataRule.allCases.map { ($0.rawValue, $0) }
    static let budgetPeriods = BudgetCap.Period.allCases.map { ($0.rawValue, $0) }

    // MARK: The policy

    static let rootKeys = ["id", "name", "name_en", "jurisdiction", "kind", "review_levels", "sources", "source",
                           "placeholder_amounts", "notes", "versions"]
    static let versionKeys = ["from", "to", "source", "rule_sources", "notes", "amounts", "work_regions",
                              "low_score_area_certificates", "qualifying_posts", "minimum_months_in_post",
                              "application_window", "upgrade", "pro_rata", "budget_cap"]

    mutating func policy(_ root: Node) -> IncentivePolicy? {
        lines[""] = root.mark?.line
        guard let keys = mapping(root, "", allowed: PolicyYAMLReader.rootKeys,
                                 required: ["id", "name", "jurisdiction", "kind", "review_levels", "sources", "versions"]) else { return nil }
        let id = keys["id"].flatMap { nonEmptyText($0, "id") }
        let name = keys["name"].flatMap { nonEmptyText($0, "name") }
        let englishName = keys["name_en"].flatMap { nonEmptyText($0, "name_en") }
        let jurisdiction = keys["jurisdiction"].flatMap { region($0, "jurisdiction") }
        let kind = keys["kind"].flatMap { choice($0, "kind", .kind, PolicyYAMLReader.kinds) }
        let reviewLevels = keys["review_levels"].flatMap {
            list($0, "review_levels") { reader, node, path in reader.choice(node, path, .reviewLevel, PolicyYAMLReader.regionLevels) }
        }
        let sources = keys["sources"].flatMap { sourceList($0) }
        let defaultSource = keys["source"].flatMap { nonEmptyText($0, "source") }
        let placeholder = keys["placeholder_amounts"].flatMap { bool($0, "placeholder_amounts") } ?? false
        let notes = keys["notes"].flatMap { nonEmptyText($0, "notes") }
        // With a single document, it is every rule's source unless said otherwise.
        let fallbackSource = defaultSource ?? (sources?.count == 1 ? sources?.first?.id : nil)
        let versions = keys["versions"].flatMap { versionList($0, defaultSource: fallbackSource) }
        guard errors.isEmpty, let id, let name, let jurisdiction, let kind, let reviewLevels, let sources, let versions else {
            return nil
        }
        return IncentivePolicy(id: id, name: name, englishName: englishName, jurisdiction: jurisdiction, kind: kind,
                               reviewLevels: reviewLevels, sources: sources, placeholderAmounts: placeholder,
                               notes: notes, versions: versions)
    }

    private mutating func sourceList(_ node: Node) -> [PolicySource]? {
        guard case .mapping(let entries) = node else {
            fail(node, "sources", code: "policy.type.mapping", text: CatalogueMessage("policy.type.mapping.sources"))
            return nil
        }
        if entries.isEmpty {
            fail(node, "sources", code: "policy.sources.empty")
        }
        var result: [PolicySource] = []
        for (keyNode, value) in entries {
            guard let id = keyNode.scalar?.string else { fail(keyNode, "sources", code: "policy.key.type"); continue }
            let path = "sources.\(id)"
            lines[path] = keyNode.mark?.line
            guard let keys = mapping(value, path, allowed: ["document", "article", "quote", "url"], required: ["document"]) else { continue }
            guard let document = keys["document"].flatMap({ nonEmptyText($0, "\(path).document") }) else { continue }
            result.append(PolicySource(id: id, document: document,
                                       article: keys["article"].flatMap { nonEmptyText($0, "\(path).article") },
                                       quote: keys["quote"].flatMap { nonEmptyText($0, "\(path).quote") },
                                       url: keys["url"].flatMap { nonEmptyText($0, "\(path).url") }))
        }
        return result
    }

    private mutating func versionList(_ node: Node, defaultSource: String?) -> [PolicyVersion]? {
        guard let nodes = sequence(node, "versions") else { return nil }
        var result: [PolicyVersion] = []
        var previous: PolicyVersion?
        for (index, child) in nodes.enumerated() {
            let version = self.version(child, "versions[\(index)]", inheriting: previous, defaultSource: defaultSource)
            if let version { result.append(version) }
            previous = version ?? previous
        }
        return result.count == nodes.count ? result : nil
    }

    private mutating func version(_ node: Node, _ path: String, inheriting previous: PolicyVersion?, defaultSource: String?) -> PolicyVersion? {
        let required = previous == nil ? ["from", "amounts"] : ["from"]
        guard let keys = mapping(node, path, allowed: PolicyYAMLReader.versionKeys, required: required) else { return nil }
        let errorCount = errors.count
        let from = keys["from"].flatMap { date($0, "\(path).from") }
        var to: CivilDate?
        if let node = keys["to"], !PolicyYAMLReader.isNull(node) { to = date(node, "\(path).to") }

        var amounts = previous?.amounts ?? [:]
        if let node = keys["amounts"] { amounts = amountTable(node, "\(path).amounts") ?? [:] }

        var workRegions = previous?.workRegions
        if let node = keys["work_regions"] {
            workRegions = isAny(node) ? nil : list(node, "\(path).work_regions") { reader, node, path in reader.region(node, path) }
        }
        var lowScore = previous?.lowScoreAreaCertificatesCount ?? true
        if let node = keys["low_score_area_certificates"], let value = bool(node, "\(path).low_score_area_certificates") { lowScore = value }
        var posts = previous?.qualifyingPosts
        if let node = keys["qualifying_posts"] {
            posts = isAny(node) ? nil : list(node, "\(path).qualifying_posts") { reader, node, path in reader.postQualification(node, path) }
        }
        var months = previous?.minimumMonthsInPost ?? 0
        if let node = keys["minimum_months_in_post"], let value = count(node, "\(path).minimum_months_in_post") { months = value }
        var window = previous?.applicationWindow
        if let node = keys["application_window"] {
            window = isNone(node) ? nil : applicationWindow(node, "\(path).application_window")
        }
        var upgrade = previous?.upgrade
        if let node = keys["upgrade"] { upgrade = choice(node, "\(path).upgrade", .upgrade, PolicyYAMLReader.upgrades) }
        var proRata = previous?.proRata
        if let node = keys["pro_rata"] { proRata = choice(node, "\(path).pro_rata", .proRata, PolicyYAMLReader.proRatas) }
        var budget = previous?.budgetCap
        if let node = keys["budget_cap"] { budget = isNone(node) ? nil : budgetCap(node, "\(path).budget_cap") }
        var source = previous?.source ?? defaultSource
        if let node = keys["source"], let value = nonEmptyText(node, "\(path).source") { source = value }
        var ruleSources = previous?.ruleSources ?? [:]
        if let node = keys["rule_sources"] { ruleSources = ruleSourceTable(node, "\(path).rule_sources") ?? [:] }
        let notes = keys["notes"].flatMap { nonEmptyText($0, "\(path).notes") }

        guard errors.count == errorCount, let from else { return nil }
        return PolicyVersion(from: from, to: to, amounts: amounts, workRegions: workRegions,
                             lowScoreAreaCertificatesCount: lowScore, qualifyingPosts: posts, minimumMonthsInPost: months,
                             applicationWindow: window, upgrade: upgrade, proRata: proRata, budgetCap: budget,
                             source: source, ruleSources: ruleSources, notes: notes)
    }

    private func isAny(_ node: Node) -> Bool { node.scalar?.string == "any" }
    private func isNone(_ node: Node) -> Bool { node.scalar?.string == "none" }

    private mutating func amountTable(_ node: Node, _ path: String) -> [CertificateLevel: Int]? {
        guard case .mapping(let entries) = node else {
            fail(node, path, code: "policy.type.mapping", text: CatalogueMessage("policy.type.mapping.amounts"))
            return nil
        }
        var table: [CertificateLevel: Int] = [:]
        for (keyNode, value) in entries {
            let key = keyNode.scalar?.string ?? ""
            let keyPath = "\(path).\(key)"
            lines[keyPath] = keyNode.mark?.line
            guard let level = CertificateLevel(rawValue: key) else {
                fail(keyNode, keyPath, code: "policy.level.unknown", key, CatalogueMessage.list(CertificateLevel.allCases.map(\.rawValue)))
                continue
            }
            if let fen = fen(value, keyPath) { table[level] = fen }
        }
        return table
    }

    private mutating func postQualification(_ node: Node, _ path: String) -> PostQualification? {
        guard let keys = mapping(node, path, allowed: ["post_categories", "employer_kinds"]) else { return nil }
        let errorCount = errors.count
        let categories = keys["post_categories"].flatMap {
            list($0, "\(path).post_categories") { reader, node, path in reader.choice(node, path, .postCategory, PolicyYAMLReader.categories) }
        }
        let employers = keys["employer_kinds"].flatMap {
            list($0, "\(path).employer_kinds") { reader, node, path in reader.choice(node, path, .employerKind, PolicyYAMLReader.employerKinds) }
        }
        guard errors.count == errorCount else { return nil }
        return PostQualification(postCategories: categories, employerKinds: employers)
    }

    private mutating func applicationWindow(_ node: Node, _ path: String) -> ApplicationWindow? {
        guard let keys = mapping(node, path, allowed: ["within", "inclusive"], required: ["within", "inclusive"]) else { return nil }
        let inclusive = keys["inclusive"].flatMap { bool($0, "\(path).inclusive") }
        guard let withinNode = keys["within"], let within = text(withinNode, "\(path).within") else { return nil }
        let length = PolicyYAMLReader.windowLength(within)
        switch length {
        case .success(let (number, unit)):
            guard let inclusive else { return nil }
            return ApplicationWindow(length: number, unit: unit, inclusive: inclusive)
        case .failure(let problem):
            fail(withinNode, "\(path).within", code: problem.code, text: problem.text)
            return nil
        }
    }

    struct WindowProblem: Error {
        var code: String
        var text: CatalogueMessage

        init(code: String, text: CatalogueMessage) {
            self.code = code
            self.text = text
        }

        init(code: String, _ arguments: String...) { self.init(code: code, text: CatalogueMessage(code, arguments: arguments)) }
    }

    /// `12 months`, `1 year`, `365 days`, `12个月`, `1年`, `365天`.
    static func windowLength(_ raw: String) -> Result<(Int, ApplicationWindow.WindowUnit), WindowProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unitText = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 5, let number = Int(digits) else {
            return .failure(WindowProblem(code: "policy.window.format", raw))
        }
        if unitText.isEmpty {
            return .failure(WindowProblem(code: "policy.window.unit", raw, String(number)))
        }
        let units: [String: ApplicationWindow.WindowUnit] = [
            "day": .days, "days": .days, "天": .days, "日": .days,
            "month": .months, "months": .months, "个月": .months, "月": .months,
            "year": .years, "years": .years, "年": .years,
        ]
        guard let unit = units[unitText] else {
            return .failure(WindowProblem(code: "policy.window.unit", text: CatalogueMessage("policy.window.unit.unknown", unitText)))
        }
        return .success((number, unit))
    }

    private mutating func budgetCap(_ node: Node, _ path: String) -> BudgetCap? {
        guard let keys = mapping(node, path, allowed: ["amount", "per"], required: ["amount", "per"]) else { return nil }
        let amount = keys["amount"].flatMap { fen($0, "\(path).amount") }
        let period = keys["per"].flatMap { choice($0, "\(path).per", .budgetPeriod, PolicyYAMLReader.budgetPeriods) }
        guard let amount, let period else { return nil }
        return BudgetCap(amountFen: amount, period: period)
    }

    private mutating func ruleSourceTable(_ node: Node, _ path: String) -> [PolicyRule: String]? {
        let allowed = PolicyRule.citable.map(\.rawValue)
        guard let keys = mapping(node, path, allowed: allowed) else { return nil }
        var table: [PolicyRule: String] = [:]
        for (key, value) in keys {
            if let rule = PolicyRule(rawValue: key), let id = nonEmptyText(value, "\(path).\(key)") { table[rule] = id }
        }
        return table
    }
}
