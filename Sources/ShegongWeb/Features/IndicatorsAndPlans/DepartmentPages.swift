import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The departments of a jurisdiction as records (issue #18 §2): officials of the region list them;
/// read-write officials and the system administrator add one (region by name, the region picker),
/// rename one and deactivate or reactivate it — through `DepartmentService`. The account forms
/// and a measure's lead and cooperating departments choose among the active ones.
struct DepartmentPages: RouteCollection {
    static let allowed: @Sendable (Principal) -> Bool = { $0.role == .official || $0.role == .systemAdministrator }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "departments", allow: Self.allowed) { req, ctx in
            try await Self.render(ctx, form: DepartmentForm(region: Self.ownRegion(ctx.principal)))
        }
        routes.page(.POST, "departments", allow: Self.allowed) { req, ctx in
            let pick = try await RegionPick.read("region", value: { try? req.content.get(String.self, at: $0) }, regions: try req.regionService)
            var form = DepartmentForm(region: pick.code ?? "", name: (try? req.content.get(String.self, at: "name")) ?? "", search: pick.search)
            if pick.moveOnly { return try await Self.render(ctx, form: form) }
            do {
                let added = try await req.departments.add(name: form.name, region: pick.code)
                form = DepartmentForm(region: added.regionCode)
                return try await Self.render(ctx, form: form, notice: ctx.t("departments.added", added.name))
            } catch let error as StoreError where error.kind == .invalid || error.kind == .conflict {
                form.errors = Self.fieldErrors(error, ctx)
                return try await Self.render(ctx, form: form, status: error.kind == .conflict ? .conflict : .unprocessableEntity)
            }
        }
        routes.page(.POST, "departments", ":id", "rename", allow: Self.allowed) { req, ctx in
            let id = try req.parameter("id")
            let name = (try? req.content.get(String.self, at: "name")) ?? ""
            do {
                let renamed = try await req.departments.rename(id: id, to: name)
                return try await Self.render(ctx, form: DepartmentForm(region: Self.ownRegion(ctx.principal)),
                                             notice: ctx.t("departments.renamed", renamed.name))
            } catch let error as StoreError where error.kind == .invalid || error.kind == .conflict {
                var form = DepartmentForm(region: Self.ownRegion(ctx.principal))
                form.renameErrors = [id: Self.fieldErrors(error, ctx)["name"] ?? error.message(ctx.language)]
                return try await Self.render(ctx, form: form, status: error.kind == .conflict ? .conflict : .unprocessableEntity)
            }
        }
        routes.page(.POST, "departments", ":id", "active", allow: Self.allowed) { req, ctx in
            let active = (try? req.content.get(String.self, at: "active")) == "true"
            let changed = try await req.departments.setActive(id: try req.parameter("id"), active)
            return try await Self.render(ctx, form: DepartmentForm(region: Self.ownRegion(ctx.principal)),
                                         notice: ctx.t(active ? "departments.activated" : "departments.deactivated", changed.name))
        }
    }

    static func ownRegion(_ principal: Principal) -> String {
        principal.scope.regionSubtree?.code ?? ""
    }

    static func fieldErrors(_ error: StoreError, _ ctx: PageContext) -> [String: String] {
        guard !error.details.isEmpty else { return ["name": error.message(ctx.language)] }
        return Dictionary(error.details.map { ($0.field ?? "name", $0.message(ctx.language)) }) { a, _ in a }
    }

    static func render(_ ctx: PageContext, form: DepartmentForm, notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let req = ctx.request
        let departments = try await req.departments.list()
        let names = try await req.regionService.names(of: departments.map(\.regionCode))
        let mayEdit = ctx.principal.isReadWriteOfficial || ctx.principal.role == .systemAdministrator
        let picker = mayEdit ? try await req.regionPicker("region", label: ctx.t("departments.region"), selected: form.region,
                                                          search: form.search, error: form.errors["region"], required: true) : nil
        let model = DepartmentListModel(departments: departments, regionNames: names, mayEdit: mayEdit,
                                        form: form, picker: picker, notice: notice)
        return WebPage.render(ctx, title: ctx.t("departments.title"), active: "/departments", content: DepartmentView.page(ctx, model), status: status)
    }
}

/// The add form as sent, and the problems of the add and rename forms.
struct DepartmentForm {
    var region: String
    var name = ""
    var search: String?
    var errors: [String: String] = [:]
    /// A rename's problem, by department id.
    var renameErrors: [String: String] = [:]
}

struct DepartmentListModel {
    var departments: [Department]
    var regionNames: [String: String]
    var mayEdit: Bool
    var form: DepartmentForm
    var picker: RegionPicker?
    var notice: String?
}

enum DepartmentView {
    static func page(_ ctx: PageContext, _ model: DepartmentListModel) -> Node {
        let t = ctx.t
        let columns = [DataTable.Column(t("departments.region")), .init(t("departments.name")), .init(t("common.status"))]
            + (model.mayEdit ? [DataTable.Column(t("departments.actions"))] : [])
        let rows = model.departments.map { d -> [Node] in
            let region = d.regionCode == RegionCode.nation.value ? t("departments.nation") : (model.regionNames[d.regionCode] ?? d.regionCode)
            return [.text(region), .text(d.name), .text(t(d.active ? "departments.active" : "departments.inactive"))]
                + (model.mayEdit ? [actions(ctx, model, d)] : [])
        }
        return .group(
            .unwrap(model.notice) { .notice($0, .ok) },
            .p(.class("muted"), .text(t("departments.intro"))),
            DataTable(id: "departments", columns: columns, rows: rows, empty: t("departments.none")).node(),
            .unwrap(model.picker) { picker in
                .group(.h2(.text(t("departments.add"))), Field.summary(ctx, count: model.form.errors.count),
                       .form(.method("post"), .action("/departments"), .class("stack"), .id("department-form"), ctx.csrfInput,
                             picker.node(ctx),
                             Field.input(t("departments.name"), name: "name", value: model.form.name, error: model.form.errors["name"], required: true),
                             .button(.type("submit"), .text(t("action.create")))))
            })
    }

    static func actions(_ ctx: PageContext, _ model: DepartmentListModel, _ d: Department) -> Node {
        let t = ctx.t
        return .group(
            .form(.method("post"), .action("/departments/\(d.id)/rename"), .class("inline"), ctx.csrfInput,
                  Field.input(t("departments.new_name"), name: "name", value: d.name, error: model.form.renameErrors[d.id], required: true,
                              id: "rename-\(d.id)"),
                  .button(.type("submit"), .class("secondary"), .text(t("departments.rename")))),
            .form(.method("post"), .action("/departments/\(d.id)/active"), .class("inline"), ctx.csrfInput,
                  .input(.type("hidden"), .name("active"), .value(d.active ? "false" : "true")),
                  .button(.type("submit"), .class("secondary"), .text(t(d.active ? "departments.deactivate" : "departments.activate")))))
    }
}

extension Request {
    /// The department use cases for the signed-in account (`DepartmentService`).
    var departments: DepartmentService {
        get throws { DepartmentService(context: services, caller: try caller) }
    }
}
