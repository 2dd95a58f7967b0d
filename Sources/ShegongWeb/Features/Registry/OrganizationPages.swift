import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Organisations in the principal's scope, and one organisation with its staff, through the same
/// service as the JSON API (`OrganizationService`). Each handler decodes, loads its model and
/// hands it to `OrganizationView`, which only renders.
struct OrganizationPages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }
    static func mayCreate(_ principal: Principal) -> Bool { principal.isReadWriteOfficial }
    static func mayEdit(_ principal: Principal) -> Bool { mayCreate(principal) || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "organizations", allow: Self.mayRead) { req, ctx in
            // The export links: exactly the organisations of this filter, as a file (the API's export).
            if req.queryString("format") != nil { return try await OrganizationsController.export(req) }
            let model = try await OrganizationListModel.load(req, ctx, name: req.queryString("name"), regionCode: req.queryString("region"),
                                                             page: try req.queryInt("page", default: 1))
            return WebPage.render(ctx, title: ctx.t("organizations.title"), content: OrganizationView.list(ctx, model), wide: true)
        }
        routes.page(.GET, "organizations", ":id", allow: Self.mayRead) { req, ctx in
            let model = try await OrganizationPageModel.load(req, ctx, id: try req.parameter("id"), page: try req.queryInt("page", default: 1))
            return WebPage.render(ctx, title: model.info.name, active: "/organizations", content: OrganizationView.page(ctx, model))
        }
        routes.page(.GET, "organizations", "new", allow: Self.mayCreate) { req, ctx in
            let input = OrganizationStore.Input(name: "", creditCode: nil, kind: nil, regionCode: ctx.principal.scope.regionSubtree?.code)
            return try await Self.form(req, ctx, OrganizationFormModel(input: input, id: nil, errors: [:]))
        }
        routes.page(.POST, "organizations", allow: Self.mayCreate) { req, ctx in
            try await Self.submit(req, ctx, id: nil)
        }
        routes.page(.GET, "organizations", ":id", "edit", allow: Self.mayEdit) { req, ctx in
            let info = try await req.organizationService.organization(try req.parameter("id"))
            let input = OrganizationStore.Input(name: info.name, creditCode: info.creditCode, kind: info.kind, regionCode: info.regionCode)
            return try await Self.form(req, ctx, OrganizationFormModel(input: input, id: info.id, errors: [:]))
        }
        routes.page(.POST, "organizations", ":id", allow: Self.mayEdit) { req, ctx in
            let id = try req.parameter("id")
            try await req.organizationService.requireVisible(id)
            return try await Self.submit(req, ctx, id: id)
        }
    }

    /// The form with its region picker at the organisation's region.
    static func form(_ req: Request, _ ctx: PageContext, _ model: OrganizationFormModel, search: String? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let region = try await req.regionPicker("regionCode", label: ctx.t("field.region"), selected: model.input.regionCode,
                                                search: search, error: model.errors["regionCode"])
        return OrganizationView.form(ctx, model, region: region, status: status)
    }

    /// Saves the form; a refused field is shown beside it with nothing saved.
    static func submit(_ req: Request, _ ctx: PageContext, id: String?) async throws -> Response {
        func value(_ name: String) -> String? {
            guard let v = (try? req.content.get(String.self, at: name))?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        // The region picker's lists (or its search) give the region code.
        let pick = try await RegionPick.read("regionCode", value: value, regions: try req.regionService)
        let input = OrganizationStore.Input(name: value("name") ?? "", creditCode: value("creditCode"), kind: value("kind"), regionCode: pick.code)
        func again(_ errors: [String: String], _ status: HTTPResponseStatus) async throws -> Response {
            try await form(req, ctx, OrganizationFormModel(input: input, id: id, errors: errors), search: pick.search, status: status)
        }
        // Only the picker's "choose / find": the form again, one level further, nothing saved.
        if pick.moveOnly { return try await again([:], .ok) }
        do {
            let organizations = try req.organizationService
            let saved = if let id { try await organizations.update(id, input) } else { try await organizations.create(input) }
            return req.redirect(onSite: "/organizations/\(saved.id)", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            return try await again(error.fieldMessages(ctx.language, fallback: "name"), error.kind == .conflict ? .conflict : .unprocessableEntity)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await again(error.fieldMessages(ctx.language, fallback: "name"), .unprocessableEntity)
        }
    }
}

// MARK: Models

/// One page of the organisations in scope, with the names of their regions.
struct OrganizationListModel {
    var name: String?
    var organizations: OrganizationPage
    var regionNames: [String: String]
    var mayCreate: Bool
    /// The `?region=` the list was asked for, kept in its export links.
    var regionCode: String?

    static func load(_ req: Request, _ ctx: PageContext, name: String?, regionCode: String?, page: Int) async throws -> OrganizationListModel {
        let organizations = try await req.organizationService.list(regionCode: regionCode, name: name, after: try req.organizationCursor(),
                                                                   page: page, perPage: 50)
        let names = try await req.regionService.names(of: organizations.items.compactMap(\.regionCode))
        return OrganizationListModel(name: name, organizations: organizations, regionNames: names, mayCreate: OrganizationPages.mayCreate(ctx.principal),
                                     regionCode: regionCode)
    }
}

/// One organisation in scope, a page of its staff as the caller may see them, its region's name.
struct OrganizationPageModel {
    var info: OrganizationInfo
    var staff: ShegongStore.Page<PersonSummary>
    var regionNames: [String: String]
    var mayEdit: Bool

    static func load(_ req: Request, _ ctx: PageContext, id: String, page: Int) async throws -> OrganizationPageModel {
        let organizations = try req.organizationService
        let info = try await organizations.organization(id)
        let staff = try await organizations.staff(of: info.id, page: page)
        let names = try await req.regionService.names(of: [info.regionCode].compactMap { $0 })
        return OrganizationPageModel(info: info, staff: staff, regionNames: names, mayEdit: OrganizationPages.mayEdit(ctx.principal))
    }
}

/// The form as it opens or comes back: what was typed, the messages by field.
struct OrganizationFormModel {
    var input: OrganizationStore.Input
    /// The organisation edited; nil for a new one.
    var id: String?
    var errors: [String: String]
}

// MARK: Views

enum OrganizationView {
    static func list(_ ctx: PageContext, _ model: OrganizationListModel) -> Node {
        let t = ctx.t, page = model.organizations
        let columns = [DataTable.Column(t("common.name")), .init(t("field.employerCode")), .init(t("registry.org.kind")), .init(t("field.region")),
                       .init(t("organizations.staff"), numeric: true)]
        let rows = page.items.map { o -> [Node] in
            [.link("/organizations/\(o.id)", o.name), .text(o.creditCode ?? ""), .text(RegistryNames.organizationKind(o.kind, t)),
             RegistryNames.regionNode(o.regionCode, model.regionNames), .text(ctx.count(o.staff))]
        }
        return .group(.if(model.mayCreate, .p(.link("/organizations/new", t("organizations.new"), .class("button", "secondary"), .id("new-organization")))),
                      .form(.id("organizations-search"), .method("get"), .action("/organizations"), .class("filters"),
                            Field.input(t("common.name"), name: "name", value: model.name),
                            .div(.class("actions"), .button(.type("submit"), .text(t("action.search"))))),
                      ExportLinks.node(ctx, path: "/organizations", filters: [("region", model.regionCode), ("name", model.name)], id: "organizations"),
                      Pager.results(ctx, total: page.total, exact: page.totalIsExact),
                      DataTable(id: "organizations-results", columns: columns, rows: rows, empty: t("list.empty")).node(),
                      Pager.keyset(ctx, page: page.page, perPage: page.perPage, total: page.total, exact: page.totalIsExact,
                                   nextCursor: page.nextCursor))
    }

    static func page(_ ctx: PageContext, _ model: OrganizationPageModel) -> Node {
        let t = ctx.t, info = model.info, staff = model.staff
        let facts: [(String, Node)] = [
            ("field.employerCode", .text(info.creditCode ?? "")), ("registry.org.kind", .text(RegistryNames.organizationKind(info.kind, t))),
            ("field.region", RegistryNames.regionNode(info.regionCode, model.regionNames)), ("organizations.staff", .text(ctx.count(info.staff))),
        ]
        let rows = staff.items.map { person -> [Node] in
            [.link("/people/\(person.id)", person.name), .text(RegistryNames.postCategory(person.postCategory, t)),
             .text(RegistryNames.level(person.certificateLevel, t))]
        }
        let columns = ["field.name", "field.postCategory", "field.certificateLevel"].map { DataTable.Column(t($0)) }
        return .group(.if(model.mayEdit, .p(.link("/organizations/\(info.id)/edit", t("action.edit"), .class("button"), .id("edit-organization")))),
                      .dl(.class("facts"), .forEach(facts) { key, value in .group(.dt(.text(t(key))), .dd(value)) }),
                      .h2(.text(t("organizations.staff"))),
                      DataTable(id: "staff", columns: columns, rows: rows, empty: t("list.empty")).node(),
                      Pager.node(ctx, page: staff.page, perPage: staff.perPage, total: staff.total))
    }

    /// The form; `region` is the picker of the organisation's region (`regionCode`), by name.
    static func form(_ ctx: PageContext, _ model: OrganizationFormModel, region: RegionPicker, status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t, input = model.input, errors = model.errors
        let kinds = [(value: "", label: "—")] + OrganizationKind.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let content = Node.group(
            Field.summary(ctx, count: errors.count),
            .form(.method("post"), .action("/organizations" + (model.id.map { "/" + $0 } ?? "")), .class("stack"), .id("organization-form"), ctx.csrfInput,
                  Field.input(t("common.name"), name: "name", value: input.name, error: errors["name"], required: true, .attribute("maxlength", "100")),
                  Field.input(t("field.employerCode"), name: "creditCode", value: input.creditCode, error: errors["creditCode"], .attribute("maxlength", "18")),
                  Field.select(t("registry.org.kind"), name: "kind", options: kinds, selected: input.kind ?? "", error: errors["kind"]),
                  region.node(ctx),
                  .button(.type("submit"), .text(t("action.save")))))
        return WebPage.render(ctx, title: model.id == nil ? t("organizations.new") : t("organizations.edit"), active: "/organizations",
                              content: content, status: status)
    }
}
