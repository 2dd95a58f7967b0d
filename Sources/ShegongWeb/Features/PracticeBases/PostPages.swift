import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Social-work posts: the totals page (by region, by kind of organisation, by organisation, and
/// the line over time, each table downloadable) and an organisation's posts with the forms that
/// add a post, fill it with a staff member and record a holder leaving — through `PostService`.
struct PostPages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }
    static func mayEdit(_ principal: Principal) -> Bool { principal.isReadWriteOfficial || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "posts", allow: Self.mayRead) { req, ctx in
            let model = try await PostTotalsModel.load(req, ctx)
            let panels = PostView.panels(ctx, model)
            if let file = try ReportDownload.response(req, panels: panels, asOf: CivilDate.today()) { return file }
            return WebPage.render(ctx, title: ctx.t("posts.totals_title") + " · " + ctx.name(model.region), active: "/posts",
                                  content: PostView.totals(ctx, model, panels: panels), wide: true)
        }
        routes.page(.GET, "organizations", ":id", "posts", allow: Self.mayRead) { req, ctx in
            let model = try await OrganizationPostsModel.load(req, ctx, id: try req.parameter("id"))
            return PostView.organization(ctx, model)
        }
        routes.page(.POST, "organizations", ":id", "posts", allow: Self.mayEdit) { req, ctx in
            let id = try req.parameter("id")
            let numberText = Self.value(req, "numberSet") ?? ""
            let input = PostInput(category: Self.value(req, "category") ?? "", name: Self.value(req, "name"), numberSet: Int(numberText) ?? -1,
                                  funding: Self.value(req, "funding") ?? "", setOn: Self.value(req, "setOn"))
            do {
                guard Int(numberText) != nil else {
                    throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.post"),
                                     details: [.init(field: "numberSet", code: "bases.number.range", "1", String(BasesAndPostsRules.maximumNumber))])
                }
                _ = try await req.posts.create(organizationID: id, input)
                return req.redirect(onSite: "/organizations/\(id)/posts", redirectType: .normal)
            } catch let error as StoreError where error.kind != .notFound {
                var model = try await OrganizationPostsModel.load(req, ctx, id: id)
                model.newPost = (input, numberText)
                model.errors = error.fieldMessages(ctx.language, fallback: "category")
                return PostView.organization(ctx, model, status: .unprocessableEntity)
            }
        }
        routes.page(.POST, "posts", ":id", "fill", allow: Self.mayEdit) { req, ctx in
            try await Self.change(req, ctx) { posts, postID in
                try await posts.fill(postID: postID, PostFillInput(personID: Self.value(req, "personID") ?? "", from: Self.value(req, "from")))
            }
        }
        routes.page(.POST, "posts", ":id", "vacate", allow: Self.mayEdit) { req, ctx in
            try await Self.change(req, ctx) { posts, postID in
                try await posts.vacate(postID: postID, fillID: Self.value(req, "fillID") ?? "")
            }
        }
    }

    static func value(_ req: Request, _ name: String) -> String? {
        guard let v = (try? req.content.get(String.self, at: name))?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// A change to one post; back to its organisation's page, with the refusal beside the post.
    static func change(_ req: Request, _ ctx: PageContext, _ body: (PostService, String) async throws -> PostInfo) async throws -> Response {
        let postID = try req.parameter("id")
        let posts = try req.posts
        do {
            let saved = try await body(posts, postID)
            return req.redirect(onSite: "/organizations/\(saved.organizationID)/posts", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            let organization = try await posts.organization(ofPost: postID)
            var model = try await OrganizationPostsModel.load(req, ctx, id: organization)
            model.postErrors[postID] = error.details.first?.message(ctx.language) ?? error.message(ctx.language)
            return PostView.organization(ctx, model, status: .unprocessableEntity)
        }
    }
}

// MARK: Models

struct PostTotalsModel {
    var region: Region
    var totals: PostTotals
    var regionNames: [String: String]
    /// An organisation manager's own organisation (the link to manage its posts).
    var ownOrganization: String?

    static func load(_ req: Request, _ ctx: PageContext) async throws -> PostTotalsModel {
        let totals = try await req.posts.totals(regionCode: req.queryString("region"))
        let region = try await req.scopedRegion(code: totals.regionCode, field: "region")
        let names = try await req.regionService.names(of: totals.byRegion.compactMap(\.key))
        var own: String?
        if case .organization(let id) = ctx.principal.scope { own = id }
        return PostTotalsModel(region: region, totals: totals, regionNames: names, ownOrganization: own)
    }
}

struct OrganizationPostsModel {
    var organization: OrganizationInfo
    var posts: [PostInfo]
    /// The organisation's staff, for the fill forms.
    var staff: [PersonSummary]
    var mayEdit: Bool
    var errors: [String: String] = [:]
    var newPost: (input: PostInput, numberText: String)?
    /// A refusal shown beside the post it concerns.
    var postErrors: [String: String] = [:]

    static func load(_ req: Request, _ ctx: PageContext, id: String) async throws -> OrganizationPostsModel {
        let (organization, posts) = try await req.posts.posts(of: id)
        let mayEdit = PostPages.mayEdit(ctx.principal)
        let staff = mayEdit ? try await req.organizationService.staff(of: id, page: 1, perPage: 500).items : []
        return OrganizationPostsModel(organization: organization, posts: posts, staff: staff, mayEdit: mayEdit)
    }
}

// MARK: Views

enum PostView {
    static func number(_ n: Int) -> SpreadsheetCell { .number(Double(n), raw: String(n)) }

    static func totalsRow(_ label: String, _ total: PostTotal) -> [SpreadsheetCell] {
        [.text(label), number(total.organizations), number(total.posts), number(total.numberSet), number(total.filled), number(total.vacancies)]
    }

    static func columns(_ t: LocalizedTexts, first: String) -> [String] {
        [first, t("posts.field.organizations"), t("posts.field.posts"), t("posts.field.numberSet"), t("posts.field.filled"), t("posts.field.vacancies")]
    }

    static let counts: [Int: ChartValueFormat] = [1: .count, 2: .count, 3: .count, 4: .count, 5: .count]

    /// A breakdown: filled and vacant places stacked per group, beside the table of every total.
    static func breakdown(_ ctx: PageContext, id: String, title: String, header: String, _ groups: [(label: String, total: PostTotal, link: String?)]) -> ReportPanel {
        let t = ctx.t
        let chart = StackedBarChart(title: title, categories: groups.map(\.label),
                                    series: [ChartSeries(t("posts.field.filled"), groups.map { Double($0.total.filled) }, fill: .palette(0)),
                                             ChartSeries(t("posts.field.vacancies"), groups.map { Double($0.total.vacancies) }, fill: .palette(1))],
                                    height: max(160, Double(groups.count) * 26 + 80), noDataReason: t("posts.none"))
        let table = ReportTable(title: title, columns: columns(t, first: header), rows: groups.map { totalsRow($0.label, $0.total) })
        return ReportPanel(id: id, chart: chart, table: table, formats: counts, tableID: "posts-\(id)", links: groups.map(\.link))
    }

    static func panels(_ ctx: PageContext, _ model: PostTotalsModel) -> [ReportPanel] {
        let t = ctx.t, totals = model.totals
        let regions = totals.byRegion.map { total -> (label: String, total: PostTotal, link: String?) in
            guard let code = total.key else { return (t("posts.in_region_itself"), total, nil) }
            return (model.regionNames[code] ?? code, total, "/posts?region=\(code)")
        }
        let kinds = totals.byOrganizationKind.map { total -> (label: String, total: PostTotal, link: String?) in
            (total.key.flatMap { OrganizationKind(rawValue: $0) }.map { RegistryNames.organizationKind($0.rawValue, t) } ?? t("posts.no_kind"), total, nil)
        }
        let organizations = totals.byOrganization.map { total -> (label: String, total: PostTotal, link: String?) in
            (total.key.flatMap { totals.organizationNames[$0] } ?? "", total, total.key.map { "/organizations/\($0)/posts" })
        }.sorted { $0.label < $1.label }
        let points: (KeyPath<PostTrendPoint, Int>) -> [LineChart.Point] = { path in
            totals.trend.compactMap { point in CivilDate(iso: point.date).map { LineChart.Point($0, Double(point[keyPath: path])) } }
        }
        let line = LineChart(title: t("posts.trend"), lines: [LineChart.Line(t("posts.trend.set"), points(\.numberSet)),
                                                              LineChart.Line(t("posts.trend.filled"), points(\.filled))],
                             noDataReason: t("posts.none"))
        var panels = [
            breakdown(ctx, id: "region", title: t("posts.by_region"), header: t("field.region"), regions),
            breakdown(ctx, id: "kind", title: t("posts.by_kind"), header: t("registry.org.kind"), kinds),
            ReportPanel(id: "trend", chart: line, table: ReportTable(line, dateHeader: t("common.date")), formats: [1: .count, 2: .count]),
        ]
        let table = ReportTable(title: t("posts.by_organization"), columns: columns(t, first: t("posts.field.organization")),
                                rows: organizations.map { totalsRow($0.label, $0.total) })
        panels.append(ReportPanel(id: "organization", chart: nil, table: table, formats: counts, tableID: "posts-organization",
                                  links: organizations.map(\.link)))
        return panels
    }

    static func totals(_ ctx: PageContext, _ model: PostTotalsModel, panels: [ReportPanel]) -> Node {
        let t = ctx.t, all = model.totals.all
        let figures: [(String, String, Int)] = [
            ("posts", t("posts.field.posts"), all.posts), ("set", t("posts.field.numberSet"), all.numberSet),
            ("filled", t("posts.field.filled"), all.filled), ("vacancies", t("posts.field.vacancies"), all.vacancies),
        ]
        let boxes = figures.map { id, label, value in
            Node.div(.class("figure"), .id("posts-figure-\(id)"), .b(.data("data-value", String(value)), .text(ctx.count(value))), .small(.text(label)))
        }
        return .group(.unwrap(model.ownOrganization) { .p(.link("/organizations/\($0)/posts", t("posts.manage"), .class("button"), .id("manage-posts"))) },
                      .section(.id("posts-figures"), .div(.class("figures"), .group(boxes))),
                      .forEach(panels) { $0.node(ctx) })
    }

    static func organization(_ ctx: PageContext, _ model: OrganizationPostsModel, status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t, org = model.organization
        let staff = model.staff.map { (value: $0.id, label: $0.name) }
        let rows = model.posts.map { post -> [Node] in
            let holders = Node.ul(.class("holders"), .forEach(post.holders) { holder in
                .li(.text(holder.personName + " (" + holder.from + ")"),
                    .if(model.mayEdit, .form(.method("post"), .action("/posts/\(post.id)/vacate"), .class("inline"), ctx.csrfInput,
                                             .input(.type("hidden"), .name("fillID"), .value(holder.fillID)),
                                             .button(.type("submit"), .class("secondary"), .text(t("posts.vacate"))))))
            })
            let fill = Node.if(model.mayEdit && post.vacancies > 0, staff.isEmpty ? .small(.class("muted"), .text(t("posts.fill.none"))) :
                .form(.method("post"), .action("/posts/\(post.id)/fill"), .class("inline"), .id("fill-\(post.id)"), ctx.csrfInput,
                      Field.select(t("posts.fill.person"), name: "personID", options: staff, selected: nil, id: "fill-person-\(post.id)"),
                      .button(.type("submit"), .text(t("posts.fill")))))
            let error = Node.unwrap(model.postErrors[post.id]) { .p(.class("alert", "error"), .role("alert"), .text($0)) }
            return [.text(post.name), .text(RegistryNames.postCategory(post.category, t)), .text(ctx.count(post.numberSet)),
                    .text(t.name(PostFunding(rawValue: post.funding) ?? .other)), .text(post.setOn), .text(ctx.count(post.filled)),
                    .text(ctx.count(post.vacancies)), .group(error, holders, fill)]
        }
        let columns = [DataTable.Column(t("posts.field.name")), .init(t("posts.field.category")), .init(t("posts.field.numberSet"), numeric: true),
                       .init(t("posts.field.funding")), .init(t("posts.field.setOn")), .init(t("posts.field.filled"), numeric: true),
                       .init(t("posts.field.vacancies"), numeric: true), .init(t("posts.field.holders"))]
        let errors = model.errors, typed = model.newPost
        let categories = PostCategory.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let fundings = PostFunding.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let form = Node.form(.method("post"), .action("/organizations/\(org.id)/posts"), .class("stack"), .id("post-form"), ctx.csrfInput,
                             Field.summary(ctx, count: errors.count),
                             Field.select(t("posts.field.category"), name: "category", options: categories,
                                          selected: typed?.input.category ?? categories[0].value, error: errors["category"]),
                             Field.input(t("posts.field.name"), name: "name", value: typed?.input.name, error: errors["name"], .attribute("maxlength", "100")),
                             Field.input(t("posts.field.numberSet"), name: "numberSet", value: typed?.numberText, type: "number",
                                         error: errors["numberSet"], required: true),
                             Field.select(t("posts.field.funding"), name: "funding", options: fundings,
                                          selected: typed.flatMap { PostFunding.parse($0.input.funding)?.rawValue } ?? fundings[0].value, error: errors["funding"]),
                             Field.input(t("posts.field.setOn"), name: "setOn", value: typed?.input.setOn, type: "date", error: errors["setOn"]),
                             .button(.type("submit"), .text(t("posts.new"))))
        let content = Node.group(
            .p(.link("/organizations/\(org.id)", org.name)),
            DataTable(id: "posts", columns: columns, rows: rows, empty: t("posts.none")).node(),
            .if(model.mayEdit, .group(.h2(.text(t("posts.new"))), form)))
        return WebPage.render(ctx, title: t("posts.of", org.name), active: "/posts", content: content, status: status, wide: true)
    }
}
