import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Region figures typed in by the departments (issue #5 §1): the denominators of the indicators,
/// per region and year, with their history. A department operator sees every figure of their
/// region and may change only those of their field (issue #3 §2, `DepartmentStatistics`); a
/// read-write official may change all; a read-only official only reads. Read and saved through
/// `StatisticsService`, the same scoped, audited path as `PUT /api/v1/statistics`.
struct RegionFiguresPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "figures", allow: RegionPages.allowed) { req, _ in
            // The query goes along (`?lang=en`, `?year=`): the page asked for is the one shown.
            req.redirect(onSite: "/figures/\(req.homeRegionCode)" + (req.url.query.map { "?" + $0 } ?? ""))
        }
        routes.page(.GET, "figures", ":code", allow: RegionPages.allowed) { req, ctx in
            let (region, year) = try await Self.regionAndYear(req)
            let saved = req.queryValue("saved")?.split(separator: ",").map(String.init)
            var model = try await FiguresModel.load(req, ctx, region: region, year: year)
            model.saved = saved?.count == 4 ? saved : nil
            return FiguresView.response(ctx, model)
        }
        routes.page(.POST, "figures", ":code", allow: RegionPages.allowed) { req, ctx in
            let (region, year) = try await Self.regionAndYear(req)
            var model = try await FiguresModel.load(req, ctx, region: region, year: year)
            let reading = FiguresForm.read(try req.content.decode([String: String].self), current: model.sheet.entries,
                                           invalid: ctx.t("figures.invalid_value", String(RegionStatisticStore.maximumValue)))
            model.typed = reading.typed
            guard reading.errors.isEmpty else {
                model.errors = reading.errors
                return FiguresView.response(ctx, model, status: .unprocessableEntity)
            }
            var write = RegionStatisticWrite()
            if !reading.values.isEmpty {
                do {
                    write = try await req.statisticsService.save(region: region, year: year, values: reading.values, department: nil, source: "web")
                } catch let refused as StatisticsOutOfField {
                    throw refused.denial
                } catch let error as StoreError where error.kind == .invalid {
                    model.errors = FiguresForm.errors(error, ctx.language)
                    return FiguresView.response(ctx, model, status: .unprocessableEntity)
                }
            }
            write.unchanged += RegionStatistic.allCases.filter { reading.typed[$0.rawValue] != nil && reading.values[$0] == nil }.count
            let summary = [write.created, write.updated, write.removed, write.unchanged].map(String.init).joined(separator: ",")
            return req.redirect(onSite: "/figures/\(region.code)?year=\(year)&saved=\(summary)", redirectType: .normal)
        }
    }

    static func regionAndYear(_ req: Request) async throws -> (Region, Int) {
        try await StatisticsController.regionAndYear(req, pathCode: try req.parameter("code"))
    }
}

/// The boxes of a posted figures form, read against the figures entered.
enum FiguresForm {
    struct Reading {
        /// What changed (nil removes a figure); what did not change is not sent, so the history
        /// records real changes only. A box the scope may not fill is refused by the service.
        var values: [RegionStatistic: Int?] = [:]
        /// Each box as typed, to give back with the errors.
        var typed: [String: String] = [:]
        var errors: [String: String] = [:]
    }

    /// Only the boxes the form offered are read; "1,118" and "1，118" are 1118.
    static func read(_ form: [String: String], current: [RegionStatistic: RegionStatisticEntry], invalid: String) -> Reading {
        var reading = Reading()
        for statistic in RegionStatistic.allCases {
            guard let raw = form[statistic.rawValue]?.trimmingCharacters(in: .whitespaces) else { continue }
            reading.typed[statistic.rawValue] = raw
            let cleaned = raw.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "")
            if cleaned.isEmpty {
                if current[statistic] != nil { reading.values[statistic] = .some(nil) }
            } else if let value = Int(cleaned), (0...RegionStatisticStore.maximumValue).contains(value) {
                if current[statistic]?.value != value { reading.values[statistic] = value }
            } else {
                reading.errors[statistic.rawValue] = invalid
            }
        }
        return reading
    }

    /// A refusal of the store by box (`values.schools` → `schools`), the general message under "".
    static func errors(_ error: StoreError, _ language: Language) -> [String: String] {
        var errors: [String: String] = [:]
        for detail in error.details { errors[String((detail.field ?? "").split(separator: ".").last ?? "")] = detail.message(language) }
        if errors.isEmpty { errors[""] = error.message(language) }
        return errors
    }
}

/// The figures page: the sheet the service loaded, what was typed and refused, the save's counts.
struct FiguresModel {
    var sheet: StatisticsService.FiguresSheet
    var trail: Node
    var departmentOperator: Bool
    var typed: [String: String] = [:]
    var errors: [String: String] = [:]
    /// Created, updated, removed, unchanged (`?saved=` after a save).
    var saved: [String]?

    static func load(_ req: Request, _ ctx: PageContext, region: Region, year: Int) async throws -> FiguresModel {
        let sheet = try await req.statisticsService.figures(region: region, year: year)
        let trail = try await RegionTrail.node(ctx, region: sheet.region) { "/figures/\($0)" }
        return FiguresModel(sheet: sheet, trail: trail, departmentOperator: ctx.principal.role == .departmentOperator)
    }
}

enum FiguresView {
    static func response(_ ctx: PageContext, _ model: FiguresModel, status: HTTPResponseStatus = .ok) -> Response {
        WebPage.render(ctx, title: ctx.t("figures.title", ctx.name(model.sheet.region)), active: "/figures", content: page(ctx, model), status: status)
    }

    static func page(_ ctx: PageContext, _ model: FiguresModel) -> Node {
        let t = ctx.t, sheet = model.sheet, code = sheet.region.code
        let table = figures(ctx, model)
        return .group(model.trail,
                      .p(.class("muted"), .text(t("figures.intro"))),
                      .unwrap(model.saved) { .notice(t("figures.saved", $0[0], $0[1], $0[2], $0[3]), .ok) },
                      .form(.method("get"), .action("/figures/\(code)"), .class("filters", "no-print"), .id("figures-year"),
                            Field.input(t("figures.year"), name: "year", value: String(sheet.year), type: "number",
                                        .attribute("min", String(RegionStatisticStore.firstYear)), .attribute("max", "2100")),
                            .div(.class("actions"), .button(.type("submit"), .class("secondary"), .text(t("figures.show"))))),
                      whatYouMayEnter(ctx, model),
                      Field.summary(ctx, count: model.errors.count),
                      .unwrap(model.errors[""]) { .notice($0, .error) },
                      .if(sheet.enterable.isEmpty, table,
                          else: .form(.method("post"), .action("/figures/\(code)?year=\(sheet.year)"), .id("figures-form"), .class("stack"), ctx.csrfInput,
                                      table, .p(.class("hint"), .text(t("figures.hint"))), .button(.type("submit"), .text(t("action.save"))))),
                      .h2(.text(t("figures.history"))),
                      history(ctx, sheet.history),
                      .if(!sheet.children.isEmpty, .group(
                          .h2(.text(t("figures.children"))),
                          .ul(.class("columns"), .forEach(sheet.children) { .li(.link("/figures/\($0.code)?year=\(sheet.year)", $0.name)) }))))
    }

    /// Why there are no boxes, or which ones are this caller's.
    static func whatYouMayEnter(_ ctx: PageContext, _ model: FiguresModel) -> Node {
        let t = ctx.t, sheet = model.sheet
        if !sheet.takesFigures { return .notice(t("figures.not_here")) }
        if sheet.enterable.isEmpty { return .notice(t(model.departmentOperator ? "figures.none_yours" : "figures.read_only")) }
        guard sheet.enterable.count < RegionStatistic.allCases.count else { return .empty }
        let yours = RegionStatistic.allCases.filter(sheet.enterable.contains).map(t.name).joined(separator: t("message.list_separator"))
        return .notice(t("figures.yours", yours))
    }

    /// One row per statistic: a box for each the caller may enter (its label the row's header, so
    /// the box sits in the table rather than in a `Field` block), the figure as text otherwise.
    static func figures(_ ctx: PageContext, _ model: FiguresModel) -> Node {
        let t = ctx.t, sheet = model.sheet
        let rows = RegionStatistic.allCases.map { statistic -> [Node] in
            let entry = sheet.entries[statistic], id = "f-" + statistic.rawValue, error = model.errors[statistic.rawValue]
            let updated = entry.map { t("figures.updated_by", $0.updatedBy, String($0.updatedAt.prefix(16))) } ?? ""
            guard sheet.enterable.contains(statistic) else {
                return [.text(t.name(statistic)), .text(entry.map { ctx.count($0.value) } ?? t("figures.not_entered")), .text(updated)]
            }
            let value = model.typed[statistic.rawValue] ?? entry.map { String($0.value) } ?? ""
            let box = Node.input(.id(id), .name(statistic.rawValue), .type("text"), .inputmode("numeric"), .value(value), .attribute("size", "12"),
                                 .if(error != nil, .group(.invalid(), .ariaDescribedBy(id + "-error"))))
            return [.label(.for(id), .text(t.name(statistic))),
                    .group(box, .unwrap(error) { .small(.class("error"), .id(id + "-error"), .text($0)) }),
                    .text(updated)]
        }
        return DataTable(id: "figures", columns: [.init(t("figures.statistic")), .init(t("figures.value"), numeric: true), .init(t("figures.updated"))],
                         rows: rows, rowHeaders: true).node()
    }

    static func history(_ ctx: PageContext, _ changes: [RegionStatisticChange]) -> Node {
        let t = ctx.t
        let columns = [DataTable.Column(t("figures.statistic")), .init(t("figures.before"), numeric: true), .init(t("figures.after"), numeric: true),
                       .init(t("figures.actor")), .init(t("figures.via")), .init(t("figures.at"))]
        let rows = changes.map { change -> [Node] in
            [.text(RegionStatistic(rawValue: change.statistic).map(t.name) ?? change.statistic), .text(change.before.map(ctx.count) ?? "—"),
             .text(change.after.map(ctx.count) ?? "—"), .text(change.actor), .text(RegistryNames.source(change.source, t)),
             .text(String(change.changedAt.prefix(16)))]
        }
        return DataTable(id: "figures-history", columns: columns, rows: rows, empty: t("list.empty")).node()
    }
}
