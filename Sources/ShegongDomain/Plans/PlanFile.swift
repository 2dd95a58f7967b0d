import Foundation
import Yams

/// A set of exam figures shipped as a file (Hubei's mobilisation figures).
public struct ExamFigureSet: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var jurisdiction: RegionCode
    public var jurisdictionName: String
    public var source: String
    public var sourceNote: String?
    public var figures: [ExamFigure]

    private enum CodingKeys: String, CodingKey {
        case id, jurisdiction, jurisdictionName = "jurisdiction_name", source, sourceNote = "source_note", figures
    }

    public var mobilisation: ExamMobilisation { ExamMobilisation(figures: figures) }
}

/// A problem in a seed file, with the file and the place in it.
public struct PlanFileIssue: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// Where in the file: `key_tasks[1].measures[0].lead`, a measure id, or "" for the whole file.
    public var location: String
    public var message: IndicatorMessage

    public var description: String {
        location.isEmpty ? "\(file): \(message.chinese)" : "\(file) \(location): \(message.chinese)"
    }
}

/// Thrown when seed files cannot be used; lists every problem found, not just the first.
public struct PlanFileError: Error, CustomStringConvertible {
    public var issues: [PlanFileIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// The seed plans and exam figures in `plans/` (YAML, one document per file, `kind: plan` or
/// `kind: exam_figures`). Format: docs/indicators.md.
public struct PlanLibrary: Sendable {
    public var plans: [Plan]
    public var examFigureSets: [ExamFigureSet]

    public init(plans: [Plan] = [], examFigureSets: [ExamFigureSet] = []) {
        self.plans = plans
        self.examFigureSets = examFigureSets
    }

    public func plan(id: String) -> Plan? { plans.first { $0.id == id } }

    private struct Header: Decodable { var kind: String }

    /// Reads every `.yaml`/`.yml` file of `directory` (sorted by name). Throws `PlanFileError` with
    /// all problems when any file fails to parse or validate.
    public static func load(directory: URL, indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped) throws -> PlanLibrary {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var library = PlanLibrary()
        var issues: [PlanFileIssue] = []
        for name in names {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(.init(file: name, location: "", message: .init(code: "plan_file.encoding",
                    chinese: "文件不是 UTF-8 编码", english: "the file is not UTF-8")))
                continue
            }
            switch decode(yaml: text, file: name, indicators: indicators) {
            case .success(let loaded):
                library.plans += loaded.plans
                library.examFigureSets += loaded.examFigureSets
            case .failure(let error): issues += error.issues
            }
        }
        var ids: Set<String> = []
        for id in library.plans.map(\.id) + library.examFigureSets.map(\.id) where !ids.insert(id).inserted {
            issues.append(.init(file: directory.lastPathComponent, location: id, message: .init(code: "plan_file.duplicate_id",
                chinese: "多个文件使用了同一 id“\(id)”", english: "several files use the id “\(id)”")))
        }
        if !issues.isEmpty { throw PlanFileError(issues: issues) }
        return library
    }

    /// Parses and validates one file's text.
    public static func decode(yaml text: String, file: String,
                              indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped) -> Result<PlanLibrary, PlanFileError> {
        func failure(_ code: String, _ chinese: String, _ english: String, at location: String = "") -> Result<PlanLibrary, PlanFileError> {
            .failure(PlanFileError(issues: [.init(file: file, location: location,
                                                  message: .init(code: code, chinese: chinese, english: english))]))
        }
        let decoder = YAMLDecoder()
        do {
            let header = try decoder.decode(Header.self, from: text)
            switch header.kind {
            case "plan":
                let plan = try decoder.decode(Plan.self, from: text)
                let issues = validate(plan, indicators: indicators).map { PlanFileIssue(file: file, location: $0.location, message: $0.message) }
                return issues.isEmpty ? .success(PlanLibrary(plans: [plan])) : .failure(PlanFileError(issues: issues))
            case "exam_figures":
                let set = try decoder.decode(ExamFigureSet.self, from: text)
                let issues = set.mobilisation.validate().map { PlanFileIssue(file: file, location: "figures", message: $0) }
                    + set.figures.enumerated().compactMap { i, f in
                        set.jurisdiction.contains(f.region) ? nil : PlanFileIssue(file: file, location: "figures[\(i)].region",
                            message: .init(code: "exam.region.outside", chinese: "地区 \(f.region) 不在 \(set.jurisdiction) 辖区内",
                                           english: "region \(f.region) is not inside \(set.jurisdiction)"))
                    }
                return issues.isEmpty ? .success(PlanLibrary(examFigureSets: [set])) : .failure(PlanFileError(issues: issues))
            default:
                return failure("plan_file.kind", "kind 须为 plan 或 exam_figures，实际为“\(header.kind)”",
                               "kind must be plan or exam_figures; got “\(header.kind)”", at: "kind")
            }
        } catch let error as DecodingError {
            let (location, detail) = describe(error)
            return failure("plan_file.structure", "文件结构有误：\(detail)", "the file's structure is wrong: \(detail)", at: location)
        } catch {
            return failure("plan_file.yaml", "不是有效的 YAML：\(error)", "not valid YAML: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath), "缺少字段 \(key.stringValue)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return (path(context.codingPath), "值的类型不对（\(context.debugDescription)）")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }

    /// A plan's own consistency: ids, texts, departments, deadlines, reports and targets.
    public static func validate(_ plan: Plan, indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped)
        -> [(location: String, message: IndicatorMessage)] {
        var issues: [(String, IndicatorMessage)] = []
        func add(_ location: String, _ code: String, _ chinese: String, _ english: String) {
            issues.append((location, IndicatorMessage(code: code, chinese: chinese, english: english)))
        }
        func blank(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

        if blank(plan.id) { add("id", "plan.id.empty", "方案须有 id", "a plan needs an id") }
        if blank(plan.name) { add("name", "plan.name.empty", "方案须有名称", "a plan needs a name") }
        if let from = plan.period.from, from > plan.period.to {
            add("period", "plan.period.order", "方案期间的开始日期晚于结束日期", "the plan period starts after it ends")
        }
        if plan.keyTasks.isEmpty { add("key_tasks", "plan.tasks.empty", "方案须至少有一项重点工作", "a plan needs at least one key task") }
        var ids: Set<String> = []
        for (t, task) in plan.keyTasks.enumerated() {
            let taskAt = "key_tasks[\(t)]"
            if !ids.insert("task:" + task.id).inserted { add(taskAt, "plan.task.duplicate", "重点工作编号“\(task.id)”重复", "duplicate key task id “\(task.id)”") }
            if blank(task.title) { add(taskAt, "plan.task.title.empty", "重点工作须有标题", "a key task needs a title") }
            if task.measures.isEmpty { add(taskAt, "plan.task.measures.empty", "重点工作“\(task.title)”没有举措", "key task “\(task.title)” has no measures") }
            for (m, measure) in task.measures.enumerated() {
                let at = "\(taskAt).measures[\(m)]"
                if !ids.insert("measure:" + measure.id).inserted {
                    add(at, "plan.measure.duplicate", "举措编号“\(measure.id)”重复", "duplicate measure id “\(measure.id)”")
                }
                if blank(measure.text) { add(at, "plan.measure.text.empty", "举措“\(measure.id)”没有内容", "measure “\(measure.id)” has no text") }
                if blank(measure.lead) { add(at, "plan.measure.lead.empty", "举措“\(measure.id)”须有牵头单位", "measure “\(measure.id)” needs a lead department") }
                if measure.cooperating.contains(measure.lead) {
                    add(at, "plan.measure.lead.cooperating", "举措“\(measure.id)”的牵头单位也列在配合单位中",
                        "measure “\(measure.id)” lists its lead among the cooperating departments")
                }
                if Set(measure.cooperating).count != measure.cooperating.count {
                    add(at, "plan.measure.cooperating.duplicate", "举措“\(measure.id)”的配合单位有重复",
                        "measure “\(measure.id)” lists a cooperating department twice")
                }
                if measure.deadline > plan.period.to || plan.period.from.map({ measure.deadline < $0 }) == true {
                    add(at, "plan.measure.deadline.outside", "举措“\(measure.id)”的期限 \(measure.deadline) 不在方案期间内",
                        "measure “\(measure.id)”: the deadline \(measure.deadline) is outside the plan period")
                }
                for (r, report) in measure.reports.enumerated() {
                    let reportAt = "\(at).reports[\(r)]"
                    if blank(report.text) { add(reportAt, "plan.report.text.empty", "进展报告须有内容", "a progress report needs text") }
                    for name in report.evidence where EvidenceRules.nameProblem(name) != nil {
                        add(reportAt, "plan.report.evidence.name", "佐证材料文件名“\(name)”无效（不能含路径或以点开头）",
                            "evidence file name “\(name)” is invalid (no paths, no leading dot)")
                    }
                }
            }
        }
        for (i, target) in plan.targets.enumerated() {
            let at = "targets[\(i)]"
            if !ids.insert("target:" + target.id).inserted { add(at, "plan.target.duplicate", "目标编号“\(target.id)”重复", "duplicate target id “\(target.id)”") }
            issues += target.validate(indicators: indicators).map { (at, $0) }
            if !plan.jurisdiction.contains(target.region) {
                add(at, "plan.target.region.outside", "目标“\(target.id)”的地区 \(target.region) 不在 \(plan.jurisdiction) 辖区内",
                    "target “\(target.id)”: region \(target.region) is not inside \(plan.jurisdiction)")
            }
        }
        return issues
    }
}
