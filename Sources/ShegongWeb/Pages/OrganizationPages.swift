import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Organisations in the principal's scope, and one organisation with its staff, through the same
/// service as the JSON API (`OrganizationService`).
struct OrganizationPages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }
    static func mayCreate(_ principal: Principal) -> Bool { principal.isReadWriteOfficial }
    static func mayEdit(_ principal: Principal) -> Bool { mayCreate(principal) || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "organizations", allow: Self.mayRead) { req, ctx in
            let t = ctx.t
            let name = req.queryString("name")
            let page = try await req.organizationService.list(regionCode: req.queryString("region"), name: name,
                                                              page: try req.queryInt("page", default: 1), perPage: 50)
            var html = Self.mayCreate(ctx.principal)
                ? #"<p><a class="button secondary" id="new-organization" href="/organizations/new">\#(HTML.escape(t("organizations.new")))</a></p>"# : ""
            html += #"<form id="organizations-search" method="get" action="/organizations" class="filters">"#
                + Form.field(t("common.name"), name: "name", value: name)
                + #"<div class="actions"><button type="submit">\#(HTML.escape(t("action.search")))</button></div></form>"#
                + #"<p>\#(HTML.escape(t("pager.results", String(page.total))))</p>"#
            html += PeoplePages.table(t, id: "organizations-results", headers: ["common.name", "field.employerCode", "registry.org.kind", "field.regionCode", "organizations.staff"],
                                      htmlRows: page.items.map { [PeoplePages.link("/organizations/\($0.id)", $0.name)]
                                          + [$0.creditCode ?? "", $0.kind ?? "", $0.regionCode ?? "", String($0.staff)].map(HTML.escape) })
            html += Pager.node(ctx, page: page.page, perPage: page.perPage, total: page.total).render()
            return WebPage.render(ctx, title: t("organizations.title"), content: html, wide: true)
        }
        routes.page(.GET, "organizations", ":id", allow: Self.mayRead) { req, ctx in
            let id = try req.parameter("id")
            let organizations = try req.organizationService
            let info = try await organizations.organization(id)
            let t = ctx.t
            let staff = try await organizations.staff(of: id, page: try req.queryInt("page", default: 1))
            let facts: [(String, String)] = [("field.employerCode", info.creditCode ?? ""), ("registry.org.kind", info.kind ?? ""),
                                             ("field.regionCode", info.regionCode ?? ""), ("organizations.staff", String(info.staff))]
            var html = Self.mayEdit(ctx.principal)
                ? #"<p><a class="button" id="edit-organization" href="/organizations/\#(HTML.escape(id))/edit">\#(HTML.escape(t("action.edit")))</a></p>"# : ""
            html += #"<dl class="facts">"# + facts.map { "<dt>\(HTML.escape(t($0.0)))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"
            html += "<h2>\(HTML.escape(t("organizations.staff")))</h2>"
            html += PeoplePages.table(t, id: "staff", headers: ["field.name", "field.postCategory", "field.certificateLevel"],
                                      htmlRows: staff.items.map { person in
                                          [PeoplePages.link("/people/\(person.id)", person.name)]
                                              + [person.postCategory.map { t("postCategory.\($0)") } ?? "", t("certificateLevel.\(person.certificateLevel ?? "none")")].map(HTML.escape)
                                      })
                + Pager.node(ctx, page: staff.page, perPage: staff.perPage, total: staff.total).render()
            return WebPage.render(ctx, title: info.name, active: "/organizations", content: html)
        }
        routes.page(.GET, "organizations", "new", allow: Self.mayCreate) { req, ctx in
            Self.form(ctx, input: .init(name: "", creditCode: nil, kind: nil, regionCode: ctx.principal.scope.regionSubtree?.code), id: nil, errors: [:])
        }
        routes.page(.POST, "organizations", allow: Self.mayCreate) { req, ctx in
            try await Self.submit(req, ctx, id: nil)
        }
        routes.page(.GET, "organizations", ":id", "edit", allow: Self.mayEdit) { req, ctx in
            let info = try await req.organizationService.organization(try req.parameter("id"))
            let id = info.id
            return Self.form(ctx, input: .init(name: info.name, creditCode: info.creditCode, kind: info.kind, regionCode: info.regionCode), id: id, errors: [:])
        }
        routes.page(.POST, "organizations", ":id", allow: Self.mayEdit) { req, ctx in
            let id = try req.parameter("id")
            try await req.organizationService.requireVisible(id)
            return try await Self.submit(req, ctx, id: id)
        }
    }

    /// Saves the form; a refused field is shown beside it with nothing saved.
    static func submit(_ req: Request, _ ctx: PageContext, id: String?) async throws -> Response {
        func value(_ name: String) -> String? {
            guard let v = (try? req.content.get(String.self, at: name))?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        let input = OrganizationStore.Input(name: value("name") ?? "", creditCode: value("creditCode"), kind: value("kind"), regionCode: value("regionCode"))
        do {
            let organizations = try req.organizationService
            let saved = if let id { try await organizations.update(id, input) } else { try await organizations.create(input) }
            return req.redirect(onSite: "/organizations/\(saved.id)", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            return form(ctx, input: input, id: id, errors: error.fieldMessages(ctx.language, fallback: "name"),
                        status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return form(ctx, input: input, id: id, errors: error.fieldMessages(ctx.language, fallback: "name"), status: .unprocessableEntity)
        }
    }

    static func form(_ ctx: PageContext, input: OrganizationStore.Input, id: String?, errors: [String: String],
                     status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        let kinds = [("", "—")] + OrganizationStore.kinds.map { ($0, $0) }
        let html = Form.summary(ctx, count: errors.count)
            + #"<form method="post" action="/organizations\#(id.map { "/" + HTML.escape($0) } ?? "")" class="stack" id="organization-form">\#(ctx.csrfField)"#
            + Form.field(t("common.name"), name: "name", value: input.name, error: errors["name"], required: true, attributes: #"maxlength="100""#)
            + Form.field(t("field.employerCode"), name: "creditCode", value: input.creditCode, error: errors["creditCode"], attributes: #"maxlength="18""#)
            + Form.select(t("registry.org.kind"), name: "kind", options: kinds, selected: input.kind ?? "", error: errors["kind"])
            + Form.field(t("field.regionCode"), name: "regionCode", value: input.regionCode, error: errors["regionCode"], attributes: #"maxlength="12""#)
            + #"<button type="submit">\#(HTML.escape(t("action.save")))</button></form>"#
        return WebPage.render(ctx, title: id == nil ? t("organizations.new") : t("organizations.edit"), active: "/organizations", content: html, status: status)
    }
}
