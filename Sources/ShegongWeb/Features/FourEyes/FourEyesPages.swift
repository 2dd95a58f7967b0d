import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `/admin/four-eyes`: the setting in force for a region chosen with the region picker (its own, the
/// nearest one above, or the default), every setting on file, and the form that changes one with a
/// reason. Reads and changes go through `IncentiveService`, which refuses anyone but a security or
/// system administrator and audits the change with the region, the value and the reason.
struct FourEyesPages: RouteCollection {
    static let admins: Set<Role> = [.systemAdministrator, .securityAdministrator]

    func boot(routes: any RoutesBuilder) throws {
        let allow: @Sendable (Principal) -> Bool = { Self.admins.contains($0.role) }
        routes.page(.GET, "admin", "four-eyes", allow: allow) { req, ctx in
            let pick = try await req.regionPick("region")
            let form = FourEyesForm(region: pick.code, search: pick.search)
            return try await Self.page(req, ctx, form: form, saved: req.queryValue("saved") != nil)
        }
        routes.page(.POST, "admin", "four-eyes", allow: allow) { req, ctx in
            let posted = try req.content.decode([String: String].self)
            let pick = try await RegionPick.read("region", value: { posted[$0] }, regions: try req.regionService)
            var form = FourEyesForm(region: pick.code, search: pick.search, enabled: posted["enabled"] != "off", reason: posted["reason"] ?? "")
            // Only the picker's "choose / find": the form again, one level further, nothing saved.
            if pick.moveOnly { return try await Self.page(req, ctx, form: form) }
            guard let code = pick.code, !code.isEmpty, code != RegionPath.nationCode else {
                form.errors["region"] = ctx.t("fourEyesPage.region_required")
                return try await Self.page(req, ctx, form: form, status: .unprocessableEntity)
            }
            do {
                _ = try await req.incentives.setFourEyes(regionCode: code, enabled: form.enabled, reason: form.reason)
                return req.redirect(onSite: "/admin/four-eyes?region=\(code)&saved=1", redirectType: .normal)
            } catch let error as StoreError where error.kind != .notFound {
                for detail in error.details { form.errors[detail.field ?? ""] = detail.message(ctx.language) }
                if error.details.isEmpty { form.errors[""] = error.message(ctx.language) }
                return try await Self.page(req, ctx, form: form, status: .unprocessableEntity)
            }
        }
    }

    static func page(_ req: Request, _ ctx: PageContext, form: FourEyesForm, saved: Bool = false,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let model = try await FourEyesModel.load(req, ctx, form: form, saved: saved)
        return WebPage.render(ctx, title: ctx.t("fourEyesPage.title"), active: "/admin/four-eyes", content: FourEyesView.page(ctx, model), status: status)
    }
}

/// What the form sent (or holds again after an error).
struct FourEyesForm {
    var region: String?
    var search: String?
    var enabled = true
    var reason = ""
    /// Messages by field (`region`, `reason`; "" for the form as a whole).
    var errors: [String: String] = [:]
}

struct FourEyesModel {
    var form: FourEyesForm
    var picker: RegionPicker
    /// The chosen region's name and the setting that decides for it (nil: none, on by default).
    var chosen: (code: String, name: String, deciding: FourEyesSetting?)?
    var settings: [FourEyesSetting]
    var regionNames: [String: String]
    var saved: Bool

    static func load(_ req: Request, _ ctx: PageContext, form: FourEyesForm, saved: Bool) async throws -> FourEyesModel {
        let incentives = try req.incentives
        let settings = try await incentives.fourEyesSettings()
        var chosen: (code: String, name: String, deciding: FourEyesSetting?)?
        if let code = form.region, !code.isEmpty, code != RegionPath.nationCode {
            let deciding = try await incentives.fourEyesSetting(regionCode: code)
            chosen = (code, "", deciding)
        }
        let codes = settings.map(\.regionCode) + [chosen?.code, chosen?.deciding?.regionCode].compactMap { $0 }
        let names = try await req.regionService.names(of: codes)
        if let code = chosen?.code { chosen?.name = names[code] ?? code }
        let picker = try await req.regionPicker("region", label: ctx.t("field.region"), selected: form.region, search: form.search,
                                                error: form.errors["region"], required: true)
        return FourEyesModel(form: form, picker: picker, chosen: chosen, settings: settings, regionNames: names, saved: saved)
    }
}

enum FourEyesView {
    static func page(_ ctx: PageContext, _ model: FourEyesModel) -> Node {
        let t = ctx.t
        func name(_ code: String) -> String { model.regionNames[code] ?? code }
        func state(_ enabled: Bool) -> String { t(enabled ? "fourEyesPage.on" : "fourEyesPage.off") }
        let inForce: Node = .unwrap(model.chosen) { chosen in
            let enabled = chosen.deciding?.enabled ?? true
            let source: String = chosen.deciding.map { setting in
                setting.regionCode == chosen.code
                    ? t("fourEyesPage.source.here", setting.changedBy, BeijingTime.minute(iso: setting.changedAt), setting.reason)
                    : t("fourEyesPage.source.above", name(setting.regionCode), setting.changedBy, BeijingTime.minute(iso: setting.changedAt), setting.reason)
            } ?? t("fourEyesPage.source.default")
            return .div(.id("four-eyes-in-force"), .data("data-enabled", enabled ? "on" : "off"),
                        .p(.strong(.text(t(enabled ? "fourEyesPage.in_force.on" : "fourEyesPage.in_force.off", chosen.name)))),
                        .p(.class("muted"), .text(source)))
        }
        let form = Node.form(.id("four-eyes-form"), .method("post"), .action("/admin/four-eyes"), .class("stack"), ctx.csrfInput,
                             .unwrap(model.form.errors[""]) { .notice($0, .error) },
                             model.picker.node(ctx),
                             Field.select(t("fourEyesPage.state"), name: "enabled",
                                          options: [(value: "on", label: t("fourEyesPage.on")), (value: "off", label: t("fourEyesPage.off"))],
                                          selected: model.form.enabled ? "on" : "off"),
                             Field.textArea(t("fourEyesPage.reason"), name: "reason", value: model.form.reason, rows: 2,
                                            error: model.form.errors["reason"], required: true),
                             .div(.class("actions"), .button(.type("submit"), .text(t("fourEyesPage.save")))))
        let table = DataTable(id: "four-eyes-settings",
                              columns: [DataTable.Column(t("field.region")), DataTable.Column(t("fourEyesPage.state")),
                                        DataTable.Column(t("fourEyesPage.reason")), DataTable.Column(t("fourEyesPage.changed_by")),
                                        DataTable.Column(t("fourEyesPage.changed_at"))],
                              rows: model.settings.map { setting in
                                  [.group(.text(name(setting.regionCode)), " ", .span(.class("code"), .text(setting.regionCode))),
                                   .span(.class("status"), .data("data-enabled", setting.enabled ? "on" : "off"), .text(state(setting.enabled))),
                                   .text(setting.reason), .text(setting.changedBy), .text(BeijingTime.minute(iso: setting.changedAt))]
                              },
                              empty: t("fourEyesPage.none_on_file"))
        return .group(.p(.text(t("fourEyesPage.explain"))),
                      .if(model.saved, .notice(t("fourEyesPage.saved"), .ok)),
                      inForce,
                      .h2(.text(t("fourEyesPage.change"))), form,
                      .h2(.text(t("fourEyesPage.on_file"))), table.node())
    }
}
