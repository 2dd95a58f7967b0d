import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Practice bases for officials: the list of a region's bases (downloadable as XLSX or CSV), a
/// base's page with the regions it serves and the people it hosts, and the forms that register
/// and change a base and record an intern or trainee — all through `PracticeBaseService`.
struct PracticeBasePages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool { principal.role == .official }
    static func mayWrite(_ principal: Principal) -> Bool { principal.isReadWriteOfficial }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "bases", allow: Self.mayRead) { req, ctx in
            let model = try await BaseListModel.load(req, ctx)
            let panel = BaseView.panel(ctx, model)
            if let file = try ReportDownload.response(req, panels: [panel], asOf: CivilDate.today()) { return file }
            return WebPage.render(ctx, title: ctx.t("bases.title") + " · " + ctx.name(model.region), active: "/bases",
                                  content: BaseView.list(ctx, model, panel: panel), wide: true)
        }
        routes.page(.GET, "bases", "new", allow: Self.mayWrite) { req, ctx in
            let input = PracticeBaseInput(regionCode: ctx.principal.scope.regionSubtree?.code ?? "", name: "", level: "")
            return try await Self.form(req, ctx, BaseFormModel(input: input, id: nil, errors: [:]))
        }
        routes.page(.POST, "bases", allow: Self.mayWrite) { req, ctx in
            try await Self.submit(req, ctx, id: nil)
        }
        routes.page(.GET, "bases", ":id", allow: Self.mayRead) { req, ctx in
            let model = try await BasePageModel.load(req, ctx, id: try req.parameter("id"))
            return WebPage.render(ctx, title: model.base.name, active: "/bases", content: BaseView.page(ctx, model))
        }
        routes.page(.GET, "bases", ":id", "edit", allow: Self.mayWrite) { req, ctx in
            let base = try await req.practiceBases.base(try req.parameter("id"))
            let input = PracticeBaseInput(regionCode: base.regionCode, name: base.name, level: base.level == "unspecified" ? "" : base.level,
                                          host: base.host, hostOrganizationID: base.hostOrganizationID, capacity: base.capacity,
                                          facilities: base.facilities, contactName: base.contactName, contactPhone: base.contactPhone,
                                          contactMobile: nil, periodFrom: base.periodFrom, periodTo: base.periodTo,
                                          established: base.established, servedRegions: base.servedRegions)
            return try await Self.form(req, ctx, BaseFormModel(input: input, id: base.id, errors: [:]))
        }
        routes.page(.POST, "bases", ":id", allow: Self.mayWrite) { req, ctx in
            try await Self.submit(req, ctx, id: try req.parameter("id"))
        }
        routes.page(.POST, "bases", ":id", "placements", allow: Self.mayWrite) { req, ctx in
            let id = try req.parameter("id")
            let idNumber = Self.value(req, "idNumber") ?? ""
            let input = PlacementInput(personID: "", kind: Self.value(req, "kind") ?? "", from: Self.value(req, "from") ?? "", to: Self.value(req, "to"))
            func again(_ errors: [String: String]) async throws -> Response {
                var model = try await BasePageModel.load(req, ctx, id: id)
                model.placementErrors = errors
                model.placementInput = (idNumber, input)
                return WebPage.render(ctx, title: model.base.name, active: "/bases", content: BaseView.page(ctx, model), status: .unprocessableEntity)
            }
            var filter = PersonFilter()
            filter.idNumber = idNumber
            let found = idNumber.isEmpty ? [] : try await req.personService.list(filter).items
            guard found.count == 1, let person = found.first else { return try await again(["idNumber": ctx.t("bases.placement.not_found")]) }
            var placement = input
            placement.personID = person.id
            do {
                _ = try await req.practiceBases.addPlacement(id, placement)
                return req.redirect(onSite: "/bases/\(id)", redirectType: .normal)
            } catch let error as StoreError where error.kind != .notFound {
                var errors = error.fieldMessages(ctx.language, fallback: "idNumber")
                if let message = errors.removeValue(forKey: "personID") { errors["idNumber"] = message }
                return try await again(errors)
            }
        }
    }

    static func value(_ req: Request, _ name: String) -> String? {
        guard let v = (try? req.content.get(String.self, at: name))?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// The registered organisations the form offers as host (in scope, by name).
    static func organizations(_ ctx: PageContext) async throws -> [OrganizationInfo] {
        try await ctx.request.organizationService.choices().items
    }

    /// The form with what it offers: the host organisations in scope, the region picker at the
    /// base's region, and the regions a base may serve as checkboxes by name.
    static func form(_ req: Request, _ ctx: PageContext, _ model: BaseFormModel, search: String? = nil,
                     status: HTTPResponseStatus = .ok, capacityText: String? = nil) async throws -> Response {
        var model = model
        model.organizations = try await organizations(ctx)
        model.region = try await req.regionPicker("regionCode", label: ctx.t("field.region"), selected: model.input.regionCode.isEmpty ? nil : model.input.regionCode,
                                                  search: search, error: model.errors["regionCode"], required: true)
        model.servedChoices = try await servedChoices(req, chosen: model.input.servedRegions ?? [])
        return BaseView.form(ctx, model, status: status, capacityText: capacityText)
    }

    /// The regions a base may be said to serve, by name: the caller's own region and, below a
    /// province or a city, its cities and counties (the service still checks the base's province);
    /// regions already chosen stay offered.
    static func servedChoices(_ req: Request, chosen: [String]) async throws -> [(value: String, label: String)] {
        let regions = try req.regionService
        var found: [Region] = []
        if let home = try? await regions.inScope(regions.homeRegionCode), home.level != .nation { found.append(home) }
        if let home = found.first, home.level < .county {
            for child in try await regions.children(of: home.code) where !child.placeholder {
                found.append(child)
                if child.level < .county { found += try await regions.children(of: child.code).filter { !$0.placeholder } }
            }
        }
        let offered = Set(found.map(\.code))
        let others = chosen.filter { !offered.contains($0) }
        let names = others.isEmpty ? [:] : try await req.practiceBases.regionNames(of: others)
        return found.map { (value: $0.code, label: $0.name) } + others.map { (value: $0, label: names[$0] ?? $0) }
    }

    /// Saves the form; every refused field is shown beside it and nothing is saved.
    static func submit(_ req: Request, _ ctx: PageContext, id: String?) async throws -> Response {
        let capacityText = value(req, "capacity")
        let pick = try await RegionPick.read("regionCode", value: { value(req, $0) }, regions: try req.regionService)
        // Checkboxes send `servedRegions[]`; a typed list (codes separated by commas) is still read.
        let sent = (try? req.content.get([String].self, at: "servedRegions")) ?? value(req, "servedRegions").map { [$0] } ?? []
        let served = sent.flatMap { $0.split(whereSeparator: { ",，、; \n\t".contains($0) }).map(String.init) }
        let input = PracticeBaseInput(regionCode: pick.code ?? "", name: value(req, "name") ?? "", level: value(req, "level") ?? "",
                                      host: value(req, "host"), hostOrganizationID: value(req, "hostOrganizationID"),
                                      capacity: capacityText.flatMap { Int($0) }, facilities: value(req, "facilities"),
                                      contactName: value(req, "contactName"), contactPhone: value(req, "contactPhone"),
                                      contactMobile: value(req, "contactMobile"), periodFrom: value(req, "periodFrom"), periodTo: value(req, "periodTo"),
                                      established: value(req, "established"), servedRegions: served)
        func again(_ errors: [String: String], status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
            try await form(req, ctx, BaseFormModel(input: input, id: id, errors: errors), search: pick.search, status: status, capacityText: capacityText)
        }
        // Only the picker's "choose / find": the form again, one level further, nothing saved.
        if pick.moveOnly { return try await again([:], status: .ok) }
        if let capacityText, Int(capacityText) == nil {
            return try await again(["capacity": ctx.t("bases.number.range", "0", String(BasesAndPostsRules.maximumNumber))])
        }
        do {
            let bases = try req.practiceBases
            let saved = if let id { try await bases.update(id, input) } else { try await bases.create(input) }
            return req.redirect(onSite: "/bases/\(saved.id)", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            return try await again(error.fieldMessages(ctx.language, fallback: "name"))
        }
    }
}

// MARK: Models

/// The bases of a region in the caller's subtree, with the names of their regions.
struct BaseListModel {
    var region: Region
    var bases: [PracticeBaseSummary]
    var regionNames: [String: String]
    var mayCreate: Bool

    static func load(_ req: Request, _ ctx: PageContext) async throws -> BaseListModel {
        let (region, bases) = try await req.practiceBases.list(regionCode: req.queryString("region"))
        let names = try await req.practiceBases.regionNames(of: bases.map(\.regionCode))
        return BaseListModel(region: region, bases: bases, regionNames: names, mayCreate: PracticeBasePages.mayWrite(ctx.principal))
    }
}

/// One base: its facts, the names of its region and served regions, who it hosts.
struct BasePageModel {
    var base: PracticeBaseDetail
    var regionNames: [String: String]
    var mayEdit: Bool
    var placementErrors: [String: String] = [:]
    var placementInput: (idNumber: String, input: PlacementInput)?

    static func load(_ req: Request, _ ctx: PageContext, id: String) async throws -> BasePageModel {
        let base = try await req.practiceBases.base(id)
        let names = try await req.practiceBases.regionNames(of: [base.regionCode] + base.servedRegions)
        return BasePageModel(base: base, regionNames: names, mayEdit: PracticeBasePages.mayWrite(ctx.principal))
    }
}

struct BaseFormModel {
    var input: PracticeBaseInput
    var id: String?
    var errors: [String: String]
    var organizations: [OrganizationInfo] = []
    var region: RegionPicker?
    var servedChoices: [(value: String, label: String)] = []
}

// MARK: Views

enum BaseView {
    static func level(_ raw: String, _ t: LocalizedTexts) -> String {
        t.name(PracticeBaseLevel(rawValue: raw) ?? .unspecified)
    }

    static func period(_ from: String?, _ to: String?, _ t: LocalizedTexts) -> String {
        guard from != nil || to != nil else { return "" }
        return (from ?? "…") + " – " + (to ?? t("bases.open_end"))
    }

    static func region(_ code: String, _ names: [String: String]) -> String { names[code] ?? code }

    /// The list as a report table: the table shown is the one downloaded.
    static func panel(_ ctx: PageContext, _ model: BaseListModel) -> ReportPanel {
        let t = ctx.t
        func number(_ n: Int?) -> SpreadsheetCell { n.map { .number(Double($0), raw: String($0)) } ?? .empty }
        let rows: [[SpreadsheetCell]] = model.bases.map { b in
            [.text(b.name), .text(level(b.level, t)), .text(region(b.regionCode, model.regionNames)), .text(b.host ?? ""), number(b.capacity),
             number(b.servedRegions), number(b.hostedNow), .text(period(b.periodFrom, b.periodTo, t))]
        }
        let table = ReportTable(title: t("bases.list_title") + " · " + ctx.name(model.region),
                                columns: [t("common.name"), t("bases.field.level"), t("field.region"), t("bases.field.host"), t("bases.field.capacity"),
                                          t("bases.field.servedCount"), t("bases.field.hostedNow"), t("bases.field.period")],
                                rows: rows)
        return ReportPanel(id: "bases", chart: nil, table: table, formats: [4: .count, 5: .count, 6: .count], tableID: "bases-list",
                           links: model.bases.map { "/bases/\($0.id)" })
    }

    static func list(_ ctx: PageContext, _ model: BaseListModel, panel: ReportPanel) -> Node {
        .group(.if(model.mayCreate, .p(.link("/bases/new", ctx.t("bases.new"), .class("button", "secondary"), .id("new-base")))),
               .if(model.bases.isEmpty, .p(.class("muted"), .text(ctx.t("bases.none")))),
               panel.node(ctx))
    }

    static func page(_ ctx: PageContext, _ model: BasePageModel) -> Node {
        let t = ctx.t, b = model.base
        let facts: [(String, String)] = [
            ("bases.field.level", level(b.level, t)), ("field.region", region(b.regionCode, model.regionNames)),
            ("bases.field.host", b.host ?? ""), ("bases.field.hostOrganization", b.hostOrganizationName ?? ""),
            ("bases.field.capacity", b.capacity.map { ctx.count($0) } ?? ""), ("bases.field.facilities", b.facilities ?? ""),
            ("bases.field.contactName", b.contactName ?? ""), ("bases.field.contactPhone", b.contactPhone ?? ""),
            ("bases.field.contactMobile", b.contactMobile ?? ""), ("bases.field.period", period(b.periodFrom, b.periodTo, t)),
            ("bases.field.established", b.established ?? ""),
        ]
        let served = b.servedRegions.map { region($0, model.regionNames) }
        let rows = b.placements.map { p -> [Node] in
            [.text(p.personName), .text(t.name(PlacementKind(rawValue: p.kind) ?? .internship)), .text(p.from), .text(p.to ?? t("bases.open_end"))]
        }
        let columns = ["bases.placement.person", "bases.placement.kind", "bases.placement.from", "bases.placement.to"].map { DataTable.Column(t($0)) }
        let errors = model.placementErrors, typed = model.placementInput
        let kinds = PlacementKind.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let form = Node.form(.method("post"), .action("/bases/\(b.id)/placements"), .class("stack"), .id("placement-form"), ctx.csrfInput,
                             Field.summary(ctx, count: errors.count),
                             Field.input(t("bases.placement.idNumber"), name: "idNumber", value: typed?.idNumber, error: errors["idNumber"], required: true,
                                         .attribute("maxlength", "18")),
                             Field.select(t("bases.placement.kind"), name: "kind", options: kinds, selected: typed?.input.kind ?? kinds[0].value,
                                          error: errors["kind"]),
                             Field.input(t("bases.placement.from"), name: "from", value: typed?.input.from, type: "date", error: errors["from"], required: true),
                             Field.input(t("bases.placement.to"), name: "to", value: typed?.input.to, type: "date", error: errors["to"]),
                             .button(.type("submit"), .text(t("bases.placement.add"))))
        return .group(.if(model.mayEdit, .p(.link("/bases/\(b.id)/edit", t("action.edit"), .class("button"), .id("edit-base")))),
                      .dl(.class("facts"), .forEach(facts) { key, value in .group(.dt(.text(t(key))), .dd(.text(value))) }),
                      .h2(.text(t("bases.field.servedRegions"))),
                      served.isEmpty ? .p(.class("muted"), .text(t("bases.served.none")))
                                     : .ul(.id("served-regions"), .forEach(served) { .li(.text($0)) }),
                      .h2(.text(t("bases.placements"))),
                      DataTable(id: "placements", columns: columns, rows: rows, empty: t("list.empty")).node(),
                      .if(model.mayEdit, .group(.h2(.text(t("bases.placement.add"))), form)),
                      .h2(.text(t("bases.sessions"))), sessions(ctx, b.sessions))
    }

    /// The training sessions held at the base, each linked to its page in the training feature.
    static func sessions(_ ctx: PageContext, _ sessions: [HostedSession]) -> Node {
        let t = ctx.t
        let columns = [DataTable.Column(t("training.page.course")), .init(t("training.page.dates")),
                       .init(t("training.page.seats"), numeric: true), .init(t("training.page.status"))]
        let rows = sessions.map { s -> [Node] in
            [.link("/training/sessions/\(s.id)", s.courseTitle), .text(s.startsOn == s.endsOn ? s.startsOn : "\(s.startsOn) – \(s.endsOn)"),
             .text("\(s.seatsTaken) / \(s.capacity)"), .text(t("training.session.status.\(s.status)"))]
        }
        return DataTable(id: "hosted-sessions", columns: columns, rows: rows, empty: t("list.empty")).node()
    }

    static func form(_ ctx: PageContext, _ model: BaseFormModel, status: HTTPResponseStatus = .ok, capacityText: String? = nil) -> Response {
        let t = ctx.t, input = model.input, errors = model.errors
        let levels = [(value: "", label: "—")] + PracticeBaseLevel.assignable.map { (value: $0.rawValue, label: t.name($0)) }
        let selectedLevel = PracticeBaseLevel.parse(input.level)?.rawValue ?? ""
        let organizations = [(value: "", label: "—")] + model.organizations.map { (value: $0.id, label: $0.name) }
        let content = Node.group(
            Field.summary(ctx, count: errors.count),
            .form(.method("post"), .action("/bases" + (model.id.map { "/" + $0 } ?? "")), .class("stack"), .id("base-form"), ctx.csrfInput,
                  Field.input(t("common.name"), name: "name", value: input.name, error: errors["name"], required: true, .attribute("maxlength", "100")),
                  .unwrap(model.region) { $0.node(ctx) },
                  Field.select(t("bases.field.level"), name: "level", options: levels, selected: selectedLevel, error: errors["level"]),
                  Field.input(t("bases.field.host"), name: "host", value: input.host, error: errors["host"], .attribute("maxlength", "100")),
                  Field.select(t("bases.field.hostOrganization"), name: "hostOrganizationID", options: organizations,
                               selected: input.hostOrganizationID ?? "", error: errors["hostOrganizationID"]),
                  Field.input(t("bases.field.capacity"), name: "capacity", value: capacityText ?? input.capacity.map(String.init), type: "number",
                              error: errors["capacity"]),
                  Field.textArea(t("bases.field.facilities"), name: "facilities", value: input.facilities, rows: 3, error: errors["facilities"]),
                  Field.input(t("bases.field.contactName"), name: "contactName", value: input.contactName, error: errors["contactName"]),
                  Field.input(t("bases.field.contactPhone"), name: "contactPhone", value: input.contactPhone, error: errors["contactPhone"]),
                  Field.input(t("bases.field.contactMobile"), name: "contactMobile", value: nil, error: errors["contactMobile"],
                              hint: model.id == nil ? nil : t("bases.field.contactMobile.keep")),
                  Field.input(t("bases.field.periodFrom"), name: "periodFrom", value: input.periodFrom, type: "date", error: errors["periodFrom"]),
                  Field.input(t("bases.field.periodTo"), name: "periodTo", value: input.periodTo, type: "date", error: errors["periodTo"]),
                  Field.input(t("bases.field.established"), name: "established", value: input.established, type: "date", error: errors["established"]),
                  Field.checkboxes(t("bases.field.servedRegions"), field: "servedRegions", model.servedChoices, checked: input.servedRegions ?? [],
                                   error: errors["servedRegions"], hint: t("bases.field.servedRegions.hint")),
                  .button(.type("submit"), .text(t("action.save")))))
        return WebPage.render(ctx, title: model.id == nil ? t("bases.new") : t("bases.edit"), active: "/bases", content: content, status: status)
    }
}
