import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Organisations in the principal's scope, and one organisation with its staff.
struct OrganizationPages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "organizations", allow: Self.mayRead) { req, ctx in
            let t = ctx.t
            let name = req.queryString("name")
            let page = try await OrganizationStore(db: req.db).list(region: try await req.scopedRegionFilter(), name: name, scope: ctx.principal.scope,
                                                                    page: try req.queryInt("page", default: 1), perPage: 50)
            var html = #"<form id="organizations-search" method="get" action="/organizations" class="filters">"#
                + Form.field(t("common.name"), name: "name", value: name)
                + #"<div class="actions"><button type="submit">\#(HTML.escape(t("action.search")))</button></div></form>"#
                + #"<p>\#(HTML.escape(t("pager.results", String(page.total))))</p>"#
            html += PeoplePages.table(t, id: "organizations-results", headers: ["common.name", "field.employerCode", "registry.org.kind", "field.regionCode", "organizations.staff"],
                                      htmlRows: page.items.map { [PeoplePages.link("/organizations/\($0.id)", $0.name)]
                                          + [$0.creditCode ?? "", $0.kind ?? "", $0.regionCode ?? "", String($0.staff)].map(HTML.escape) })
            html += Pager.html(ctx, page: page.page, perPage: page.perPage, total: page.total)
            return WebPage.render(ctx, title: t("organizations.title"), content: html, wide: true)
        }
        routes.page(.GET, "organizations", ":id", allow: Self.mayRead) { req, ctx in
            let id = try req.parameter("id")
            try await req.requireVisibleOrganization(id)
            guard let info = try await OrganizationStore(db: req.db).get(id: id) else { throw StoreError.notFound("单位") }
            let t = ctx.t
            var filter = PersonFilter()
            filter.scope = ctx.principal.scope
            filter.organizationID = id
            filter.page = try req.queryInt("page", default: 1)
            let staff = try await req.people.list(filter)
            let facts: [(String, String)] = [("field.employerCode", info.creditCode ?? ""), ("registry.org.kind", info.kind ?? ""),
                                             ("field.regionCode", info.regionCode ?? ""), ("organizations.staff", String(info.staff))]
            var html = #"<dl class="facts">"# + facts.map { "<dt>\(HTML.escape(t($0.0)))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"
            html += "<h2>\(HTML.escape(t("organizations.staff")))</h2>"
            html += PeoplePages.table(t, id: "staff", headers: ["field.name", "field.postCategory", "field.certificateLevel"],
                                      htmlRows: staff.items.map { person in
                                          [PeoplePages.link("/people/\(person.id)", person.name)]
                                              + [person.postCategory.map { t("postCategory.\($0)") } ?? "", t("certificateLevel.\(person.certificateLevel ?? "none")")].map(HTML.escape)
                                      })
                + Pager.html(ctx, page: staff.page, perPage: staff.perPage, total: staff.total)
            return WebPage.render(ctx, title: info.name, active: "/organizations", content: html)
        }
    }
}
