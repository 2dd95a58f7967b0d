import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region figures typed in by the departments (issue #5 §1): the denominators of the indicators,
/// per region and year, with their history. A department operator sees every figure of their
/// region and may change only those of their field (issue #3 §2, `DepartmentStatistics`); a
/// read-write official may change all; a read-only official only reads. Saved through the same
/// scoped, audited path as `PUT /api/v1/statistics`.
struct RegionFiguresPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "figures", allow: RegionPages.allowed) { req, _ in
            req.redirect(onSite: "/figures/\(req.homeRegionCode)")
        }
        routes.page(.GET, "figures", ":code", allow: RegionPages.allowed) { req, ctx in
            let (region, year) = try await Self.regionAndYear(req)
            return try await Self.render(ctx, region: region, year: year, typed: [:], errors: [:],
                                         saved: req.query[String.self, at: "saved"])
        }
        routes.page(.POST, "figures", ":code", allow: RegionPages.allowed) { req, ctx in
            let (region, year) = try await Self.regionAndYear(req)
            let form = try req.content.decode([String: String].self)
            let current = Dictionary(try await RegionStatisticStore(req.db).entries(region: region.code, year: year)
                .compactMap { entry in RegionStatistic(rawValue: entry.statistic).map { ($0, entry.value) } }) { first, _ in first }
            // Only the boxes the form offered are read; what did not change is not sent, so the
            // history records real changes only. A box the scope may not fill is refused by `save`.
            var values: [RegionStatistic: Int?] = [:], typed: [String: String] = [:], errors: [String: String] = [:]
            for statistic in RegionStatistic.allCases {
                guard let raw = form[statistic.rawValue]?.trimmingCharacters(in: .whitespaces) else { continue }
                typed[statistic.rawValue] = raw
                let cleaned = raw.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
                if cleaned.isEmpty {
                    if current[statistic] != nil { values[statistic] = .some(nil) }
                } else if let value = Int(cleaned), (0...RegionStatisticStore.maximumValue).contains(value) {
                    if current[statistic] != value { values[statistic] = value }
                } else {
                    errors[statistic.rawValue] = ctx.t("figures.invalid_value", String(RegionStatisticStore.maximumValue))
                }
            }
            guard errors.isEmpty else {
                return try await Self.render(ctx, region: region, year: year, typed: typed, errors: errors, saved: nil, status: .unprocessableEntity)
            }
            var write = RegionStatisticWrite()
            if !values.isEmpty {
                do {
                    write = try await req.statisticsService.save(region: region, year: year, values: values, department: nil, source: "web")
                } catch let refused as StatisticsOutOfField {
                    throw refused.denial
                } catch let error as StoreError where error.kind == .invalid {
                    for detail in error.details { errors[String((detail.field ?? "").split(separator: ".").last ?? "")] = detail.message(ctx.language) }
                    if errors.isEmpty { errors[""] = error.message(ctx.language) }
                    return try await Self.render(ctx, region: region, year: year, typed: typed, errors: errors, saved: nil, status: .unprocessableEntity)
                }
            }
            write.unchanged += RegionStatistic.allCases.filter { typed[$0.rawValue] != nil && values[$0] == nil }.count
            let summary = [write.created, write.updated, write.removed, write.unchanged].map(String.init).joined(separator: ",")
            return req.redirect(onSite: "/figures/\(region.code)?year=\(year)&saved=\(summary)", redirectType: .normal)
        }
    }

    static func regionAndYear(_ req: Request) async throws -> (Region, Int) {
        try await StatisticsController.regionAndYear(req, pathCode: try req.parameter("code"))
    }

    static func render(_ ctx: PageContext, region: Region, year: Int, typed: [String: String], errors: [String: String],
                       saved: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let req = ctx.request, t = ctx.t
        let store = RegionStatisticStore(req.db)
        let entries = Dictionary(try await store.entries(region: region.code, year: year).map { ($0.statistic, $0) }) { first, _ in first }
        let takesFigures = RegionStatisticStore.problem(region: region, code: region.code) == nil
        let scope = ctx.principal.scope
        let enterable = takesFigures && scope.mayEnterStatistics(region: region.path) ? scope.enterableStatistics() : []
        var html = try await RegionTrail.node(ctx, region: region) { "/figures/\($0)" }.render()
        html += #"<p class="muted">\#(HTML.escape(t("figures.intro")))</p>"#
        if let saved {
            let parts = saved.split(separator: ",").map(String.init)
            if parts.count == 4 { html += HTML.notice(t("figures.saved", parts[0], parts[1], parts[2], parts[3]), kind: "ok") }
        }
        html += #"<form method="get" action="/figures/\#(HTML.escape(region.code))" class="filters no-print" id="figures-year">"#
            + Form.field(t("figures.year"), name: "year", value: String(year), type: "number", attributes: #"min="1949" max="2100""#)
            + #"<div class="actions"><button type="submit" class="secondary">\#(HTML.escape(t("figures.show")))</button></div></form>"#
        if !takesFigures {
            html += HTML.notice(t("figures.not_here"))
        } else if enterable.isEmpty {
            html += HTML.notice(t(ctx.principal.role == .departmentOperator ? "figures.none_yours" : "figures.read_only"))
        } else if enterable.count < RegionStatistic.allCases.count {
            html += HTML.notice(t("figures.yours", RegionStatistic.allCases.filter(enterable.contains).map(t.name).joined(separator: "、")))
        }
        html += Form.summary(ctx, count: errors.count)
        if let general = errors[""] { html += HTML.notice(general, kind: "error") }
        let rows = RegionStatistic.allCases.map { statistic -> String in
            let entry = entries[statistic.rawValue]
            let id = "f-" + statistic.rawValue, error = errors[statistic.rawValue]
            let cell: String
            if enterable.contains(statistic) {
                let value = typed[statistic.rawValue] ?? entry.map { String($0.value) } ?? ""
                cell = #"<input id="\#(id)" name="\#(statistic.rawValue)" type="text" inputmode="numeric" value="\#(HTML.escape(value))" size="12""#
                    + (error == nil ? "" : #" aria-invalid="true" aria-describedby="\#(id)-error""#) + ">"
                    + (error.map { #"<small class="error" id="\#(id)-error">\#(HTML.escape($0))</small>"# } ?? "")
            } else {
                cell = HTML.escape(entry.map { ctx.count($0.value) } ?? t("figures.not_entered"))
            }
            let label = enterable.contains(statistic) ? #"<label for="\#(id)">\#(HTML.escape(t.name(statistic)))</label>"# : HTML.escape(t.name(statistic))
            let updated = entry.map { HTML.escape(t("figures.updated_by", $0.updatedBy, String($0.updatedAt.prefix(16)))) } ?? ""
            return #"<tr\#(error == nil ? "" : #" class="invalid""#)><th scope="row">\#(label)</th><td class="num">\#(cell)</td><td>\#(updated)</td></tr>"#
        }.joined()
        let table = #"<table class="list" id="figures"><thead><tr><th>\#(HTML.escape(t("figures.statistic")))</th><th>\#(HTML.escape(t("figures.value")))</th>"#
            + #"<th>\#(HTML.escape(t("figures.updated")))</th></tr></thead><tbody>\#(rows)</tbody></table>"#
        if enterable.isEmpty {
            html += table
        } else {
            html += #"<form method="post" action="/figures/\#(HTML.escape(region.code))?year=\#(year)" id="figures-form" class="stack">\#(ctx.csrfField)"#
                + table + #"<p class="hint">\#(HTML.escape(t("figures.hint")))</p><button type="submit">\#(HTML.escape(t("action.save")))</button></form>"#
        }
        let history = try await store.history(region: region.code, year: year).suffix(100).reversed().map { change -> [String] in
            [RegionStatistic(rawValue: change.statistic).map(t.name) ?? change.statistic, change.before.map(ctx.count) ?? "—",
             change.after.map(ctx.count) ?? "—", change.actor, change.source, String(change.changedAt.prefix(16))]
        }
        html += "<h2>\(HTML.escape(t("figures.history")))</h2>"
            + PeoplePages.table(t, id: "figures-history", headers: ["figures.statistic", "figures.before", "figures.after", "figures.actor", "figures.via", "figures.at"],
                                rows: Array(history))
        let children = try await req.regions.children(of: region.code).filter { !$0.placeholder }
        if !children.isEmpty {
            html += "<h2>\(HTML.escape(t("figures.children")))</h2><ul class=\"columns\">"
                + children.map { #"<li><a href="/figures/\#(HTML.escape($0.code))?year=\#(year)">\#(HTML.escape($0.name))</a></li>"# }.joined() + "</ul>"
        }
        return WebPage.render(ctx, title: t("figures.title", region.name), active: "/figures", content: html, status: status)
    }
}
