import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The audit administrator's page: search the log (newest first, paged by id) and verify the
/// hash chain. Searching is itself audited. The handlers decode the filters and call
/// `AuditService`; `AuditView` only renders the entries, each action under its name in the page's language.
enum AuditPage {
    /// The filters of the search form, as typed (the form shows them again).
    static let filterNames = ["since", "until", "actor", "action", "objectType", "objectID", "result"]

    static func query(_ req: Request) -> (AuditQuery, [String: String]) {
        func value(_ name: String) -> String? {
            guard let v = req.queryValue(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return String(v.prefix(100))
        }
        var errors: [String: String] = [:]
        func day(_ name: String) -> Date? {
            guard let text = value(name) else { return nil }
            guard let date = CivilDate(censusText: text) else {
                errors[name] = Catalogue.text("form.invalid_date", req.language, text)
                return nil
            }
            // A day in Beijing time: 00:00 +08:00.
            return ISO8601DateFormatter().date(from: String(format: "%04d-%02d-%02dT00:00:00+08:00", date.year, date.month, date.day))
        }
        var q = AuditQuery(since: day("since"), until: day("until"), actor: value("actor"), action: value("action"),
                           objectType: value("objectType"), objectID: value("objectID"),
                           result: value("result").flatMap(AuditResult.init(rawValue:)), limit: 100)
        q.beforeID = value("before").flatMap { Int64($0) }
        return (q, errors)
    }

    static func search(_ ctx: PageContext, notice: ActionNotice? = nil) async throws -> Response {
        let model = try await AuditSearch.load(ctx, notice: notice)
        return WebPage.render(ctx, title: ctx.t("audit.title"), active: "/admin/audit", content: AuditView.page(ctx, model), wide: true)
    }

    static func verify(_ ctx: PageContext) async throws -> Response {
        let result = try await ctx.request.auditService.verify()
        let notice = result.problem.map { ActionNotice(ctx.t("audit.verify_broken", String($0.id)) + " " + $0.description, kind: .error) }
            ?? ActionNotice(ctx.t("audit.verify_ok") + " " + ctx.t("audit.verify_checked", String(result.checked)))
        return try await search(ctx, notice: notice)
    }
}

/// One page of the audit log: the filters as typed, their errors, the entries found (none when a
/// filter is wrong) and the address of the older entries when this page is full.
struct AuditSearch {
    var filters: [String: String]
    var errors: [String: String]
    var records: [AuditRecord]
    var olderAddress: String?
    var notice: ActionNotice?
    /// The names of the regions, organisations and people the entries' details name.
    var names = GrantNames()

    static func load(_ ctx: PageContext, notice: ActionNotice?) async throws -> AuditSearch {
        let req = ctx.request
        let (query, errors) = AuditPage.query(req)
        let (records, names) = try await req.auditService.search(errors.isEmpty ? query : nil,
                                                                 filters: req.url.query.map { String($0.prefix(300)) })
        var filters: [String: String] = [:]
        for name in AuditPage.filterNames { filters[name] = req.queryValue(name) }
        let full = records.count == query.limit
        return AuditSearch(filters: filters, errors: errors, records: records,
                           olderAddress: full ? records.last.map { olderAddress(req, before: $0.id) } : nil, notice: notice, names: names)
    }

    /// This search's address with `before` set to the last id shown.
    static func olderAddress(_ req: Request, before id: Int64) -> String {
        var items = req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? []
        items.removeAll { $0.name == "before" }
        items.append(URLQueryItem(name: "before", value: String(id)))
        var components = URLComponents()
        components.queryItems = items
        return "/admin/audit" + (components.string ?? "")
    }
}

/// The audit page as a typed view.
enum AuditView {
    static func page(_ ctx: PageContext, _ model: AuditSearch) -> Node {
        .group(.unwrap(model.notice) { $0.node }, searchForm(ctx, model),
               .form(.method("post"), .action("/admin/audit/verify"), .class("inline"), ctx.csrfInput,
                     .button(.type("submit"), .class("secondary"), .text(ctx.t("audit.verify")))),
               ExportLinks.node(ctx, path: "/admin/audit", filters: AuditPage.filterNames.map { ($0, model.filters[$0]) }, id: "audit"),
               results(ctx, model))
    }

    /// The actions the features register (`WebFeatures.auditActions`), offered by name as the
    /// action field is typed; the field still takes any prefix (`session`).
    static func knownActions(_ ctx: PageContext) -> Node {
        let actions = WebFeatures.auditActions.map(\.rawValue).sorted()
        return .element("datalist", [.id("audit-actions"),
                                     .forEach(actions) { .option(.value($0), .text(AuditActionNames.name($0, ctx.language))) }])
    }

    static func searchForm(_ ctx: PageContext, _ model: AuditSearch) -> Node {
        let t = ctx.t, typed = model.filters, errors = model.errors
        let results = [("", t("audit.result_any"))] + [AuditResult.success, .failure, .denied].map { ($0.rawValue, resultName(ctx, $0)) }
        return .form(.method("get"), .action("/admin/audit"), .class("search"), .id("audit-search"),
                     Field.input(t("audit.since"), name: "since", value: typed["since"], type: "date", error: errors["since"]),
                     Field.input(t("audit.until"), name: "until", value: typed["until"], type: "date", error: errors["until"]),
                     Field.input(t("audit.user"), name: "actor", value: typed["actor"]),
                     Field.input(t("audit.action"), name: "action", value: typed["action"], hint: t("audit.action_hint"), .attribute("list", "audit-actions")),
                     knownActions(ctx),
                     Field.input(t("audit.object"), name: "objectType", value: typed["objectType"]),
                     Field.input(t("audit.object_id"), name: "objectID", value: typed["objectID"]),
                     Field.select(t("audit.result"), name: "result", options: results, selected: typed["result"] ?? ""),
                     .button(.type("submit"), .text(t("audit.search"))))
    }

    static func results(_ ctx: PageContext, _ model: AuditSearch) -> Node {
        let t = ctx.t
        let columns = [DataTable.Column("#", numeric: true)]
            + ["audit.time", "audit.user", "audit.ip", "audit.action", "audit.object", "audit.result", "audit.details"].map { DataTable.Column(t($0)) }
        let table = DataTable(id: "audit-results", columns: columns, rows: model.records.map { row(ctx, $0, names: model.names) }, empty: nil).node()
        return .if(model.records.isEmpty, .p(.text(t("audit.no_results"))),
                   else: .group(table, .unwrap(model.olderAddress) { .p(.class("pager"), .link($0, t("audit.older"))) }))
    }

    static func row(_ ctx: PageContext, _ record: AuditRecord, names: GrantNames) -> [Node] {
        let entry = record.entry
        let object = [entry.objectType, entry.objectID].compactMap { $0 }.joined(separator: " ")
        return [.text(String(record.id)), .text(BeijingTime.minute(entry.at)), .text(entry.actor), .text(entry.ip ?? ""),
                action(ctx, entry.action), .text(object),
                .span(.class("status", entry.result.rawValue), .text(resultName(ctx, entry.result))),
                .text(entry.details.map { AuditDetails.text($0, names: names, ctx.language) } ?? "")]
    }

    /// The action's name, and under it the code the search's action field takes.
    static func action(_ ctx: PageContext, _ action: AuditAction) -> Node {
        let name = AuditActionNames.name(action.rawValue, ctx.language)
        guard name != action.rawValue else { return .code(.text(action.rawValue)) }
        return .group(.text(name), .br(), .small(.class("muted"), .code(.text(action.rawValue))))
    }

    static func resultName(_ ctx: PageContext, _ result: AuditResult) -> String { ctx.t("audit.result.\(result.rawValue)") }
}
