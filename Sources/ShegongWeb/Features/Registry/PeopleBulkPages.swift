import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Bulk actions on the people ticked in the list (issue #18 §1): the list posts the ticked ids to
/// the preview, which asks for the target (employer, region picker, or date of leaving) and shows
/// each person's change, before → after; its confirm applies all of them in one transaction
/// (`PersonService.bulkApply`), one audit entry per person.
struct PeopleBulkPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.POST, "people", "bulk", "preview", allow: PeoplePages.mayWrite) { req, ctx in
            let model = try await PeopleBulkModel.load(req, ctx)
            return WebPage.render(ctx, title: ctx.t("lists.bulk.preview_title"), active: "/people", content: PeopleBulkView.page(ctx, model), wide: true)
        }
        routes.page(.POST, "people", "bulk", allow: PeoplePages.mayWrite) { req, ctx in
            var model = try await PeopleBulkModel.load(req, ctx)
            guard let change = model.change, model.error == nil, !model.lines.isEmpty else {
                return WebPage.render(ctx, title: ctx.t("lists.bulk.preview_title"), active: "/people", content: PeopleBulkView.page(ctx, model), wide: true)
            }
            do {
                let changed = try await req.personService.bulkApply(model.ids, change)
                return req.redirect(onSite: "/people?bulk=\(changed)", redirectType: .normal)
            } catch let error as StoreError where error.kind != .notFound {
                model.error = error.message(ctx.language)
                return WebPage.render(ctx, title: ctx.t("lists.bulk.preview_title"), active: "/people", content: PeopleBulkView.page(ctx, model), wide: true)
            }
        }
    }
}

/// The form as posted: the people ticked, the action, its target, and the lines it would change.
struct PeopleBulkModel {
    var ids: [String]
    /// `transfer` or `leftPost`.
    var action: String
    var organizationID: String?
    var date: String?
    var organizations: [OrganizationInfo]
    var region: RegionPicker?
    var regionCode: String?
    var change: BulkChange?
    var lines: [BulkChangeLine] = []
    var error: String?

    struct Form: Content {
        var person: [String]?
        var action: String?
        var organization: String?
        var date: String?
    }

    static func load(_ req: Request, _ ctx: PageContext) async throws -> PeopleBulkModel {
        let form = try req.content.decode(Form.self)
        let action = form.action == "leftPost" ? "leftPost" : "transfer"
        let field: (String) -> String? = { try? req.content.get(String.self, at: $0) }
        var pick = try await RegionPick.read("toRegion", value: field, regions: try req.regionService)
        // The picker untouched stands on the caller's own region (its first list's "whole region"
        // choice): here that means "region unchanged", not "move everyone up to it".
        if case .region(let subtree, _) = ctx.principal.scope, pick.code == subtree.code { pick.code = nil }
        let organizations = try await req.organizationService.choices().items
        var model = PeopleBulkModel(ids: form.person ?? [], action: action, organizationID: form.organization.flatMap { $0.isEmpty ? nil : $0 },
                                    date: form.date.flatMap { $0.isEmpty ? nil : $0 }, organizations: organizations, region: nil,
                                    regionCode: pick.code)
        if action == "transfer" {
            model.region = try await req.regionPicker("toRegion", label: ctx.t("lists.bulk.region"), selected: pick.code, search: pick.search)
            if model.organizationID != nil || pick.code != nil { model.change = .transfer(organizationID: model.organizationID, regionCode: pick.code) }
        } else if let text = model.date {
            if let date = CivilDate(iso: text) { model.change = .leftPost(on: date) } else { model.error = ctx.t("lists.bulk.date") + ": " + text }
        }
        let people = try req.personService
        do {
            if let change = model.change, !pick.moveOnly {
                model.lines = try await people.bulkPreview(model.ids, change)
            } else if model.ids.isEmpty {
                model.error = ctx.t("lists.bulk.none")
            }
        } catch let error as StoreError where error.kind != .notFound {
            model.error = error.message(ctx.language)
        }
        return model
    }
}

enum PeopleBulkView {
    static func page(_ ctx: PageContext, _ model: PeopleBulkModel) -> Node {
        let t = ctx.t
        let employers = [(value: "", label: t("common.all"))] + model.organizations.map { (value: $0.id, label: $0.name) }
        let hiddenPeople = Node.forEach(model.ids) { Node.input(.type("hidden"), .name("person[]"), .value($0)) }
        let people = Set(model.lines.map(\.personID)).count
        return .group(
            .unwrap(model.error) { .notice($0, .error) },
            .form(.id("people-bulk-target"), .method("post"), .action("/people/bulk/preview"), .class("filters"), ctx.csrfInput, hiddenPeople,
                  .input(.type("hidden"), .name("action"), .value(model.action)),
                  .if(model.action == "transfer", .group(
                      Field.select(t("lists.bulk.organization"), name: "organization", options: employers, selected: model.organizationID),
                      .unwrap(model.region) { $0.node(ctx) })),
                  .if(model.action == "leftPost", Field.input(t("lists.bulk.date"), name: "date", value: model.date, type: "date")),
                  .div(.class("actions"), .button(.type("submit"), .id("bulk-preview"), .text(t("lists.bulk.preview"))), " ",
                       .link("/people", t("action.cancel")))),
            .if(model.change != nil && model.error == nil && model.lines.isEmpty, .notice(t("lists.bulk.nothing"))),
            .if(!model.lines.isEmpty, .group(
                .p(.text(t("lists.bulk.preview_intro", String(people)))),
                DataTable(id: "bulk-lines", columns: [.init(t("field.name")), .init(t("lists.bulk.title")), .init(t("lists.bulk.before")),
                                                      .init(t("lists.bulk.after"))],
                          rows: model.lines.map { line in
                              [.link("/people/\(line.personID)", line.name), .text(t("lists.bulk.field.\(line.field)")), .text(line.before),
                               .text(line.after)]
                          }).node(),
                .form(.id("people-bulk-confirm"), .method("post"), .action("/people/bulk"), ctx.csrfInput, hiddenPeople,
                      .input(.type("hidden"), .name("action"), .value(model.action)),
                      .unwrap(model.organizationID) { .input(.type("hidden"), .name("organization"), .value($0)) },
                      .unwrap(model.regionCode) { .input(.type("hidden"), .name("toRegion"), .value($0)) },
                      .unwrap(model.date) { .input(.type("hidden"), .name("date"), .value($0)) },
                      .button(.type("submit"), .id("bulk-confirm"), .text(t("lists.bulk.confirm")))))))
    }
}
