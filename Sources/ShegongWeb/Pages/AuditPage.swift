import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The audit administrator's page: search the log (newest first, paged by id) and verify the
/// hash chain. Searching is itself audited.
enum AuditPage {
    static func query(_ req: Request) -> (AuditQuery, [String: String]) {
        func value(_ name: String) -> String? {
            guard let v = req.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
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

    static func search(_ ctx: PageContext, notice: String = "") async throws -> Response {
        let t = ctx.t
        let req = ctx.request
        let (query, errors) = query(req)
        let records = errors.isEmpty ? try await req.auditLog.search(sql: req.sql, query) : []
        try await req.audit(.auditSearch, "audit_log", nil, details: req.url.query.map { String($0.prefix(300)) })
        func text(_ name: String) -> String? { req.query[String.self, at: name] }
        var html = notice
        html += #"<form method="get" action="/admin/audit" class="search" id="audit-search">"#
            + Form.field(t("audit.since"), name: "since", value: text("since"), type: "date", error: errors["since"])
            + Form.field(t("audit.until"), name: "until", value: text("until"), type: "date", error: errors["until"])
            + Form.field(t("audit.user"), name: "actor", value: text("actor"))
            + Form.field(t("audit.action"), name: "action", value: text("action"), hint: "session / person.update")
            + Form.field(t("audit.object"), name: "objectType", value: text("objectType"))
            + Form.field(t("audit.object_id"), name: "objectID", value: text("objectID"))
            + Form.select(t("audit.result"), name: "result", options: [("", t("audit.result_any"))] + [AuditResult.success, .failure, .denied].map { ($0.rawValue, $0.rawValue) },
                          selected: text("result") ?? "")
            + #"<button type="submit">\#(HTML.escape(t("audit.search")))</button></form>"#
        html += #"<form method="post" action="/admin/audit/verify" class="inline">\#(ctx.csrfField)<button type="submit" class="secondary">\#(HTML.escape(t("audit.verify")))</button></form>"#
        if records.isEmpty {
            html += "<p>\(HTML.escape(t("audit.no_results")))</p>"
        } else {
            html += "<table id=\"audit-results\"><thead><tr><th>#</th><th>\(HTML.escape(t("audit.time")))</th><th>\(HTML.escape(t("audit.user")))</th>"
                + "<th>\(HTML.escape(t("audit.ip")))</th><th>\(HTML.escape(t("audit.action")))</th><th>\(HTML.escape(t("audit.object")))</th>"
                + "<th>\(HTML.escape(t("audit.result")))</th><th>\(HTML.escape(t("audit.details")))</th></tr></thead><tbody>"
            for record in records {
                let e = record.entry
                let object = [e.objectType, e.objectID].compactMap { $0 }.joined(separator: " ")
                html += "<tr><td class=\"num\">\(record.id)</td><td>\(AdminPages.beijing(e.at))</td><td>\(HTML.escape(e.actor))</td>"
                    + "<td>\(HTML.escape(e.ip ?? ""))</td><td>\(HTML.escape(e.action.rawValue))</td><td>\(HTML.escape(object))</td>"
                    + "<td><span class=\"status \(e.result.rawValue)\">\(HTML.escape(e.result.rawValue))</span></td><td>\(HTML.escape(e.details ?? ""))</td></tr>"
            }
            html += "</tbody></table>"
            if records.count == query.limit, let last = records.last {
                var items = req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? []
                items.removeAll { $0.name == "before" }
                items.append(URLQueryItem(name: "before", value: String(last.id)))
                var components = URLComponents()
                components.queryItems = items
                html += #"<p class="pager"><a href="/admin/audit\#(HTML.escape(components.string ?? ""))">\#(HTML.escape(t("audit.older")))</a></p>"#
            }
        }
        return WebPage.render(ctx, title: t("audit.title"), active: "/admin/audit", content: html, wide: true)
    }

    static func verify(_ ctx: PageContext) async throws -> Response {
        let req = ctx.request
        let result = try await req.auditLog.verify(sql: req.sql)
        try await req.audit(.auditVerify, "audit_log", nil, details: result.problem.map { "\($0)" } ?? "intact checked=\(result.checked)",
                            result: result.isIntact ? .success : .failure)
        let notice = result.problem.map { HTML.notice(ctx.t("audit.verify_broken", String($0.id)) + " " + $0.description, kind: "error") }
            ?? HTML.notice(ctx.t("audit.verify_ok") + " " + ctx.t("audit.verify_checked", String(result.checked)), kind: "ok")
        return try await search(ctx, notice: notice)
    }
}
