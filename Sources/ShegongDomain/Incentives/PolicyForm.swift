import Foundation

/// The policy form (issue #18 §2): a policy file as named form fields, so an official fills boxes
/// labelled in Chinese and the page writes the file for them. `PolicyForm(policy:)` fills the form
/// from a policy; `policy()` reads it back. The form's own problems (a date, an amount or a count
/// that is not one) come back as `PolicyError`s on the paths a file's would have; whatever it
/// builds is then written with `yamlText` and checked exactly as a file is
/// (`IncentivePolicy.parse(yaml:)`, `shegong policy check`), so the form cannot write a policy the
/// file path would refuse.
///
/// Field names: `id`, `name`, `name_en`, `jurisdiction`, `kind`, `review_<level>`,
/// `placeholder_amounts`, `notes`; sources `s<i>_id|document|article|quote|url`; versions
/// `v<i>_from|to|source|notes|work_regions|low_score|months|window|window_unit|window_inclusive|upgrade|pro_rata|budget|budget_per`,
/// `v<i>_amount_<level index>`, `v<i>_rs_<rule>` (a rule's own source), and qualifying post groups
/// `v<i>_g<j>_c<category index>` / `v<i>_g<j>_e<employer kind index>`. A version block whose
/// `from` is empty and a source block with neither id nor document are left out, so the page can
/// offer one empty block to add with.
public struct PolicyForm: Sendable, Equatable {
    public var fields: [String: String]

    /// Post groups offered per version (咸丰县's allowance uses two).
    public static let groupsPerVersion = 3
    /// Review levels a policy may name, lowest first as the file lists them.
    public static let reviewLevels: [RegionLevel] = [.community, .township, .county, .city, .province]

    public init(fields: [String: String]) {
        self.fields = fields
    }

    public func value(_ name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func isChecked(_ name: String) -> Bool { !value(name).isEmpty }

    /// The indices of the blocks filled in (`v0_…`, `v2_…` → [0, 2]), in order.
    public func indices(_ prefix: String) -> [Int] {
        var found = Set<Int>()
        for (key, raw) in fields where key.hasPrefix(prefix) && !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let digits = key.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count <= 3, key.dropFirst(prefix.count + digits.count).first == "_", let index = Int(digits) {
                found.insert(index)
            }
        }
        return found.sorted()
    }

    /// Version blocks in use: those with a first day.
    public var versionIndices: [Int] { indices("v").filter { !value("v\($0)_from").isEmpty } }
    /// Source blocks in use: those with an id or a document.
    public var sourceIndices: [Int] { indices("s").filter { !value("s\($0)_id").isEmpty || !value("s\($0)_document").isEmpty } }

    // MARK: policy → form

    /// The form filled from `policy`, every version in full.
    public init(policy: IncentivePolicy) {
        var f: [String: String] = [:]
        f["id"] = policy.id
        f["name"] = policy.name
        f["name_en"] = policy.englishName
        f["jurisdiction"] = policy.jurisdiction.value
        f["kind"] = policy.kind.rawValue
        for level in policy.reviewLevels { f["review_\(level.englishName)"] = "on" }
        if policy.placeholderAmounts { f["placeholder_amounts"] = "on" }
        f["notes"] = policy.notes
        for (i, source) in policy.sources.enumerated() {
            f["s\(i)_id"] = source.id
            f["s\(i)_document"] = source.document
            f["s\(i)_article"] = source.article
            f["s\(i)_quote"] = source.quote
            f["s\(i)_url"] = source.url
        }
        for (i, version) in policy.versions.enumerated() {
            Self.fill(&f, i, version)
            f["v\(i)_from"] = version.from.description
            f["v\(i)_to"] = version.to?.description
        }
        self.init(fields: f)
    }

    /// The rules of a version into block `i` (not its period: a new block copies the last version's
    /// rules and waits for its own dates).
    static func fill(_ f: inout [String: String], _ i: Int, _ version: PolicyVersion) {
        let v = "v\(i)_"
        f[v + "source"] = version.source
        f[v + "notes"] = version.notes
        for (index, level) in CertificateLevel.allCases.enumerated() {
            f[v + "amount_\(index)"] = version.amounts[level].map(PolicyMoney.yuanText(fen:))
        }
        f[v + "work_regions"] = version.workRegions.map { $0.map(\.value).joined(separator: " ") }
        if version.lowScoreAreaCertificatesCount { f[v + "low_score"] = "on" }
        for (j, group) in (version.qualifyingPosts ?? []).prefix(groupsPerVersion).enumerated() {
            for category in group.postCategories ?? [] {
                if let k = PostCategory.allCases.firstIndex(of: category) { f[v + "g\(j)_c\(k)"] = "on" }
            }
            for kind in group.employerKinds ?? [] {
                if let k = EmployerKind.allCases.firstIndex(of: kind) { f[v + "g\(j)_e\(k)"] = "on" }
            }
        }
        if version.minimumMonthsInPost > 0 { f[v + "months"] = String(version.minimumMonthsInPost) }
        if let window = version.applicationWindow {
            f[v + "window"] = String(window.length)
            f[v + "window_unit"] = window.unit.rawValue
            if window.inclusive { f[v + "window_inclusive"] = "on" }
        }
        f[v + "upgrade"] = version.upgrade?.rawValue
        f[v + "pro_rata"] = version.proRata?.rawValue
        if let cap = version.budgetCap {
            f[v + "budget"] = PolicyMoney.yuanText(fen: cap.amountFen)
            f[v + "budget_per"] = cap.period.rawValue
        }
        for (rule, source) in version.ruleSources { f[v + "rs_\(rule.rawValue)"] = source }
    }

    /// The form with one empty block more of each kind to add with: a source, and a version that
    /// starts as a copy of the last one's rules without its dates (a change from a date is then
    /// only what changes).
    public func withBlankBlocks(lastVersion: PolicyVersion?) -> (form: PolicyForm, versions: [Int], sources: [Int]) {
        var f = fields
        let versions = versionIndices, sources = sourceIndices
        let nextVersion = (versions.last ?? -1) + 1, nextSource = (sources.last ?? -1) + 1
        // Drop half-filled blocks past the used ones (a new block typed into without a date is kept as typed).
        if let lastVersion, f.keys.allSatisfy({ !$0.hasPrefix("v\(nextVersion)_") }) {
            Self.fill(&f, nextVersion, lastVersion)
        }
        return (PolicyForm(fields: f), versions + [nextVersion], sources + [nextSource])
    }

    // MARK: form → policy

    /// The policy the form describes, or every problem of the form's own values (not the
    /// policy's rules: those are the file check's, on the written file).
    public func policy() -> Result<IncentivePolicy, PolicyErrorList> {
        var errors: [PolicyError] = []
        func fail(_ path: String, _ code: String, _ arguments: String...) {
            errors.append(PolicyError(path: path, code: code, text: CatalogueMessage(code, arguments: arguments)))
        }
        func optional(_ name: String) -> String? {
            let text = value(name)
            return text.isEmpty ? nil : text
        }
        func region(_ raw: String, _ path: String) -> RegionCode? {
            switch RegionCode.parse(raw) {
            case .success(let code): return code
            case .failure(let error):
                errors.append(PolicyError(path: path, code: "policy.value.region",
                                          text: CatalogueMessage("policy.value.region", CatalogueMessage.message(error.text), raw)))
                return nil
            }
        }
        func fen(_ raw: String, _ path: String) -> Int? {
            switch PolicyMoney.fen(fromYuan: raw) {
            case .success(let fen): return fen
            case .failure(.notANumber): fail(path, "policy.amount.format", raw)
            case .failure(.negative): fail(path, "policy.amount.negative", raw)
            case .failure(.finerThanFen): fail(path, "policy.amount.fraction", raw)
            case .failure(.tooLarge): fail(path, "policy.amount.large", raw)
            }
            return nil
        }
        func date(_ raw: String, _ path: String) -> CivilDate? {
            guard let date = CivilDate(iso: raw) else { fail(path, "policy.value.date", raw); return nil }
            return date
        }
        func count(_ raw: String, _ path: String) -> Int? {
            guard raw.count <= 5, raw.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(raw) else {
                fail(path, "policy.value.count", raw)
                return nil
            }
            return number
        }
        func choice<T: RawRepresentable>(_ name: String, _ path: String, _ term: PolicyTerm, _ type: T.Type, allowed: [String]) -> T?
        where T.RawValue == String {
            guard let raw = optional(name) else { return nil }
            guard let value = T(rawValue: raw) else {
                errors.append(PolicyError(path: path, code: "policy.value.unknown",
                                          text: CatalogueMessage("policy.value.unknown", CatalogueMessage.name(term), raw, allowed.joined(separator: "、"))))
                return nil
            }
            return value
        }

        let id = value("id"), name = value("name")
        let jurisdiction = optional("jurisdiction").flatMap { region($0, "jurisdiction") }
        if optional("jurisdiction") == nil { fail("jurisdiction", "policy.key.missing", "jurisdiction") }
        let kind = choice("kind", "kind", .kind, IncentiveKind.self, allowed: IncentiveKind.allCases.map(\.rawValue))
        if optional("kind") == nil { fail("kind", "policy.key.missing", "kind") }
        let reviewLevels = Self.reviewLevels.filter { isChecked("review_\($0.englishName)") }

        let sources = sourceIndices.map { i in
            PolicySource(id: value("s\(i)_id"), document: value("s\(i)_document"), article: optional("s\(i)_article"),
                         quote: optional("s\(i)_quote"), url: optional("s\(i)_url"))
        }

        var versions: [PolicyVersion] = []
        for (n, i) in versionIndices.enumerated() {
            let v = "v\(i)_", path = "versions[\(n)]"
            let from = date(value(v + "from"), "\(path).from")
            let to = optional(v + "to").flatMap { date($0, "\(path).to") }
            var amounts: [CertificateLevel: Int] = [:]
            for (index, level) in CertificateLevel.allCases.enumerated() {
                if let raw = optional(v + "amount_\(index)"), let fen = fen(raw, "\(path).amounts.\(level.rawValue)") { amounts[level] = fen }
            }
            let workRegions = optional(v + "work_regions").map { text in
                text.split(whereSeparator: { " ,，、;；\n\r\t".contains($0) }).enumerated().compactMap { region(String($1), "\(path).work_regions[\($0)]") }
            }
            var groups: [PostQualification] = []
            for j in 0..<Self.groupsPerVersion {
                let categories = PostCategory.allCases.enumerated().filter { isChecked(v + "g\(j)_c\($0.offset)") }.map(\.element)
                let kinds = EmployerKind.allCases.enumerated().filter { isChecked(v + "g\(j)_e\($0.offset)") }.map(\.element)
                if categories.isEmpty && kinds.isEmpty { continue }
                groups.append(PostQualification(postCategories: categories.isEmpty ? nil : categories, employerKinds: kinds.isEmpty ? nil : kinds))
            }
            let months = optional(v + "months").flatMap { count($0, "\(path).minimum_months_in_post") } ?? 0
            var window: ApplicationWindow?
            if let raw = optional(v + "window") {
                let unitText = value(v + "window_unit"), unit = ApplicationWindow.WindowUnit(rawValue: unitText)
                if unit == nil {
                    errors.append(PolicyError(path: "\(path).application_window.within", code: "policy.window.unit",
                                              text: CatalogueMessage("policy.window.unit.unknown", unitText)))
                }
                if let length = count(raw, "\(path).application_window.within"), let unit {
                    window = ApplicationWindow(length: length, unit: unit, inclusive: isChecked(v + "window_inclusive"))
                }
            }
            let upgrade = choice(v + "upgrade", "\(path).upgrade", .upgrade, UpgradeRule.self, allowed: UpgradeRule.allCases.map(\.rawValue))
            let proRata = choice(v + "pro_rata", "\(path).pro_rata", .proRata, ProRataRule.self, allowed: ProRataRule.allCases.map(\.rawValue))
            var budget: BudgetCap?
            if let raw = optional(v + "budget"), let amount = fen(raw, "\(path).budget_cap.amount") {
                let period = choice(v + "budget_per", "\(path).budget_cap.per", .budgetPeriod, BudgetCap.Period.self,
                                    allowed: BudgetCap.Period.allCases.map(\.rawValue)) ?? .year
                budget = BudgetCap(amountFen: amount, period: period)
            }
            var ruleSources: [PolicyRule: String] = [:]
            for rule in PolicyRule.citable { if let source = optional(v + "rs_\(rule.rawValue)") { ruleSources[rule] = source } }
            guard let from else { continue }
            versions.append(PolicyVersion(from: from, to: to, amounts: amounts, workRegions: workRegions,
                                          lowScoreAreaCertificatesCount: isChecked(v + "low_score"),
                                          qualifyingPosts: groups.isEmpty ? nil : groups, minimumMonthsInPost: months,
                                          applicationWindow: window, upgrade: upgrade, proRata: proRata, budgetCap: budget,
                                          source: optional(v + "source") ?? (sources.count == 1 ? sources[0].id : nil), ruleSources: ruleSources, notes: optional(v + "notes")))
        }
        guard errors.isEmpty, let jurisdiction, let kind else { return .failure(PolicyErrorList(errors)) }
        let policy = IncentivePolicy(id: id, name: name, englishName: optional("name_en"), jurisdiction: jurisdiction, kind: kind,
                                        reviewLevels: reviewLevels, sources: sources, placeholderAmounts: isChecked("placeholder_amounts"),
                                        notes: optional("notes"), versions: versions)
        // The rules a file must keep, on the form's paths; ids must be valid before they are
        // written into the file unquoted.
        let invalid = policy.validationErrors()
        return invalid.isEmpty ? .success(policy) : .failure(PolicyErrorList(invalid))
    }
}
