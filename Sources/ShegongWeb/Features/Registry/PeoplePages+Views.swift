import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

// The people pages' models (loaded through `PersonService`, `OrganizationService` and
// `RegionService`) and their views, which only render what the model holds.

// MARK: Search

/// What the search page shows: the filter as asked, one page of results, the region picker.
struct PeopleSearchModel {
    var filter: PersonFilter
    /// The region filter's code as the picker resolved it (kept in every link as `region=`).
    var regionCode: String?
    var results: PersonPage
    var mayWrite: Bool
    /// The region filter (officials: their own region and below).
    var region: RegionPicker

    static func load(_ req: Request, _ ctx: PageContext, filter: PersonFilter, pick: RegionPick) async throws -> PeopleSearchModel {
        let results = try await req.personService.list(filter, regionCode: pick.code)
        let region = try await req.regionPicker("region", label: ctx.t("field.region"), selected: pick.code, search: pick.search)
        let names = try await req.regionService.names(of: Array(Set(results.items.map(\.regionCode))))
        var model = PeopleSearchModel(filter: filter, regionCode: pick.code, results: results, mayWrite: PeoplePages.mayWrite(ctx.principal),
                                      region: region)
        model.regionNames = names
        model.bulkDone = req.query[Int.self, at: "bulk"]
        return model
    }

    var regionNames: [String: String] = [:]
    /// Back from a bulk action (`?bulk=N`): how many people it changed.
    var bulkDone: Int?

    /// The page sizes offered (the API takes 1–500).
    static let pageSizes = [20, 50, 100]

    /// The filter as query items (what every link of the page keeps), with `changes` applied
    /// (nil removes an item); the cursor and page number are added by the link that needs them.
    func query(_ changes: [String: String?] = [:]) -> String {
        var items: [(String, String?)] = [
            ("name", filter.name), ("idNumber", filter.idNumber), ("certificateNumber", filter.certificateNumber),
            ("organization", filter.organizationID), ("organizationName", filter.organizationName),
            ("postCategory", filter.postCategory?.rawValue), ("serviceField", filter.serviceField?.rawValue), ("level", filter.level),
            ("region", regionCode), ("perPage", String(results.perPage)),
            ("sort", filter.sort == .name ? nil : filter.sort.rawValue), ("order", filter.descending ? "desc" : nil)]
        for (key, value) in changes {
            if let index = items.firstIndex(where: { $0.0 == key }) { items[index].1 = value } else { items.append((key, value)) }
        }
        var components = URLComponents()
        components.queryItems = items.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return URLQueryItem(name: key, value: value)
        }
        return "/people" + (components.queryItems?.isEmpty == false ? "?" + (components.percentEncodedQuery ?? "") : "")
    }
}

enum PeopleSearchView {
    static func page(_ ctx: PageContext, _ model: PeopleSearchModel) -> Node {
        let t = ctx.t, results = model.results
        let count = results.totalIsExact ? t("lists.results.exact", ctx.count(results.total)) : t("lists.results.more", ctx.count(results.total))
        return .group(.unwrap(model.bulkDone) { .notice(t("lists.bulk.done", String($0)), .ok) },
                      form(ctx, model),
                      .p(.class("actions"),
                         .if(model.mayWrite, .group(.link("/people/new", t("people.new"), .class("button")), " ")),
                         .link(model.query(["format": "xlsx"]), t("lists.export.xlsx"), .id("people-export-xlsx")), " ",
                         .link(model.query(["format": "csv"]), t("lists.export.csv"), .id("people-export-csv"))),
                      .p(.id("people-count"), .text(count)),
                      model.mayWrite && !results.items.isEmpty
                          ? .form(.id("people-bulk"), .method("post"), .action("/people/bulk/preview"), ctx.csrfInput, table(ctx, model),
                                  .fieldset(.legend(.text(t("lists.bulk.action"))),
                                            .button(.type("submit"), .name("action"), .value("transfer"), .id("bulk-transfer"), .text(t("lists.bulk.transfer"))), " ",
                                            .button(.type("submit"), .name("action"), .value("leftPost"), .id("bulk-left-post"), .text(t("lists.bulk.left_post")))))
                          : table(ctx, model),
                      pager(ctx, model))
    }

    static func form(_ ctx: PageContext, _ model: PeopleSearchModel) -> Node {
        let t = ctx.t, filter = model.filter
        let all: [(value: String, label: String)] = [("", t("common.all"))]
        let categories = all + PostCategory.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let fields = all + ServiceField.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let levels = all + CertificateLevel.allCases.map { (value: $0.rawValue, label: t.name($0)) }
            + [(value: CensusFacts.none, label: t("certificateLevel.none"))]
        let sizes = PeopleSearchModel.pageSizes.map { (value: String($0), label: String($0)) }
        return .form(.id("people-search"), .method("get"), .action("/people"), .class("filters"),
                     Field.input(t("field.name"), name: "name", value: filter.name),
                     Field.input(t("field.residentID"), name: "idNumber", value: filter.idNumber, hint: t("field.hint.residentID")),
                     Field.input(t("field.certificateNumber"), name: "certificateNumber", value: filter.certificateNumber),
                     Field.input(t("lists.organizationName"), name: "organizationName", value: filter.organizationName,
                                 hint: t("lists.organizationName.hint")),
                     .unwrap(filter.organizationID) { .input(.type("hidden"), .name("organization"), .value($0)) },
                     Field.select(t("field.postCategory"), name: "postCategory", options: categories, selected: filter.postCategory?.rawValue),
                     Field.select(t("lists.serviceField"), name: "serviceField", options: fields, selected: filter.serviceField?.rawValue),
                     Field.select(t("field.certificateLevel"), name: "level", options: levels, selected: filter.level),
                     model.region.node(ctx),
                     Field.select(t("lists.perPage"), name: "perPage", options: sizes, selected: String(model.results.perPage)),
                     .if(filter.sort != .name, .input(.type("hidden"), .name("sort"), .value(filter.sort.rawValue))),
                     .if(filter.descending, .input(.type("hidden"), .name("order"), .value("desc"))),
                     .div(.class("actions"), .button(.type("submit"), .text(t("action.search"))), " ", .link("/people", t("action.reset"))))
    }

    /// A column header that sorts by `sort`: ascending first, the other way when it is already the sort.
    static func sortLink(_ ctx: PageContext, _ model: PeopleSearchModel, _ sort: PersonSort, _ key: String) -> Node {
        let t = ctx.t, current = model.filter.sort == sort
        let descending = current && !model.filter.descending
        let mark = current ? (model.filter.descending ? " ↓" : " ↑") : ""
        let label = t(descending ? "lists.sort.descending" : "lists.sort.ascending", t(key))
        return .link(model.query(["sort": sort == .name ? nil : sort.rawValue, "order": descending ? "desc" : nil]), t(key) + mark,
                     .attribute("title", label), .attribute("data-sort", sort.rawValue))
    }

    static func table(_ ctx: PageContext, _ model: PeopleSearchModel) -> Node {
        let t = ctx.t
        let sortable: [String: PersonSort] = ["field.name": .name, "field.region": .region, "field.certificateLevel": .level, "lists.updated": .updated]
        let keys = ["field.name", "field.residentID", "field.sex", "field.mobile", "field.region", "field.employerName", "field.postCategory",
                    "field.certificateLevel", "lists.updated"]
        let rows = model.results.items.map { person -> [Node] in
            (model.mayWrite ? [.input(.type("checkbox"), .name("person[]"), .value(person.id), .ariaLabel(t("lists.bulk.select_person", person.name)))] : [])
            + [.link("/people/\(person.id)", person.name), .text(person.idNumber), .text(RegistryNames.sex(person.sex, t)),
             .text(person.mobile ?? ""), RegistryNames.regionNode(person.regionCode, model.regionNames), .text(person.organizationName ?? ""),
             .text(RegistryNames.postCategory(person.postCategory, t)), .text(RegistryNames.level(person.certificateLevel, t)),
             .text(BeijingTime.minute(iso: person.updatedAt))]
        }
        let columns = (model.mayWrite ? [DataTable.Column(t("lists.bulk.select"))] : [])
            + keys.map { key in DataTable.Column(t(key), header: sortable[key].map { sortLink(ctx, model, $0, key) }) }
        return DataTable(id: "people-results", columns: columns, rows: rows, empty: t("list.empty")).node()
    }

    /// Previous and next page (the next one by the keyset cursor), the page number, and a jump
    /// to a page number (by offset, up to `PersonStore.maxOffset` rows in).
    static func pager(_ ctx: PageContext, _ model: PeopleSearchModel) -> Node {
        let t = ctx.t, results = model.results, page = results.page
        let pages: Int? = results.totalIsExact ? max(1, (results.total + results.perPage - 1) / results.perPage) : nil
        let maxJump = PersonStore.maxOffset / results.perPage + 1
        guard page > 1 || results.nextCursor != nil else { return .empty }
        return .nav(.class("pager"), .ariaLabel(t("pager.label")),
                    .if(page > 2, .group(.link(model.query(), t("lists.first")), " ")),
                    .if(page > 1, .group(.link(model.query(["page": String(page - 1)]), t("action.previous_page"), .attribute("rel", "prev")), " ")),
                    .span(.id("people-page"), .text(pages.map { t("lists.page.of", String(page), String($0)) } ?? t("lists.page", String(page)))),
                    .unwrap(results.nextCursor) { cursor in
                        .group(" ", .link(model.query(["after": cursor, "page": String(page + 1)]), t("action.next_page"),
                                          .attribute("rel", "next"), .id("people-next")))
                    },
                    .form(.id("people-jump"), .method("get"), .action("/people"),
                          .forEach(jumpItems(model)) { item in .input(.type("hidden"), .name(item.name), .value(item.value ?? "")) },
                          .label(.text(t("lists.jump")), " ",
                                 .input(.type("number"), .name("page"), .attribute("min", "1"), .attribute("max", String(pages.map { min($0, maxJump) } ?? maxJump)),
                                        .value(String(page)))),
                          " ", .button(.type("submit"), .text(t("lists.jump.go")))),
                    .if(pages.map { $0 > maxJump } ?? true, .p(.class("hint"), .text(t("lists.jump.limit", String(maxJump))))))
    }

    /// The filter's query items, for the page-jump form's hidden fields.
    static func jumpItems(_ model: PeopleSearchModel) -> [URLQueryItem] {
        URLComponents(string: model.query())?.queryItems ?? []
    }
}

// MARK: Person page

/// One person as the caller may see them, with the names of the regions the record names.
struct PersonPageModel {
    var detail: PersonDetail
    var regionNames: [String: String]
    /// The full identifiers are shown (an audited reveal).
    var revealed: Bool
    /// Back from a save (`?saved=1`).
    var saved: Bool
    var mayEdit: Bool
    var mayCheckEligibility: Bool
    /// The continuing-education minutes on the person's ledger (training's section), nil when not shown.
    var trainingMinutes: Int? = nil

    static func load(_ req: Request, _ ctx: PageContext, id: String, reveal: Bool) async throws -> PersonPageModel {
        let people = try req.personService
        let detail = reveal ? try await people.reveal(id) : try await people.person(id)
        // The person's region, and the regions a change of region moved them between.
        let moves = detail.history.filter { $0.field == "region_code" }.flatMap { [$0.before, $0.after].compactMap { $0 } }
        let names = try await req.regionService.names(of: [detail.person.regionCode] + moves)
        return PersonPageModel(detail: detail, regionNames: names, revealed: reveal, saved: req.queryValue("saved") != nil,
                               mayEdit: PeoplePages.mayWrite(ctx.principal), mayCheckEligibility: IncentivePages.isUser(ctx.principal),
                               trainingMinutes: try await TrainingPersonSection.load(req, person: id))
    }

    /// Employers by id, from the person's own employment record (what the history's organisation changes name).
    var employerNames: [String: String] {
        Dictionary(detail.employments.compactMap { e in e.organizationID.flatMap { id in e.organizationName.map { (id, $0) } } }) { first, _ in first }
    }
}

enum PersonView {
    static func page(_ ctx: PageContext, _ model: PersonPageModel) -> Node {
        let t = ctx.t, detail = model.detail
        return .group(.if(model.revealed, .notice(t("registry.person.revealed"), .ok)),
                      .if(model.saved, .notice(t("common.saved"), .ok)),
                      actions(ctx, model),
                      facts(ctx, model),
                      .h2(.text(t("people.certificates"))), certificates(ctx, detail.certificates),
                      .h2(.text(t("people.employment"))), employment(ctx, detail.employments),
                      .h2(.text(t("people.education"))), education(ctx, detail.person),
                      TrainingPersonSection.node(ctx, minutes: model.trainingMinutes),
                      .h2(.text(t("common.history"))), history(ctx, model))
    }

    static func actions(_ ctx: PageContext, _ model: PersonPageModel) -> Node {
        let t = ctx.t, id = model.detail.person.id
        return .p(.class("actions"),
                  .if(model.mayEdit, .group(.link("/people/\(id)/edit", t("action.edit"), .id("edit-person"), .class("button")), " ")),
                  .group(.link("/people/\(id)/ledger", t("ledger.link"), .id("person-ledger"), .class("button", "secondary")), " "),
                  .if(model.mayCheckEligibility, .group(.link("/incentives/eligibility/\(id)", t("incentives.eligibility"),
                                                              .id("person-eligibility"), .class("button", "secondary")), " ")),
                  .link("/people/\(id)/print", t("print.person.link"), .id("print-person"), .class("button", "secondary")), " ",
                  .if(!model.revealed, .form(.method("post"), .action("/people/\(id)/reveal"), .class("inline"), ctx.csrfInput,
                                             .button(.type("submit"), .id("reveal-person"), .text(t("registry.person.reveal"))))))
    }

    static func facts(_ ctx: PageContext, _ model: PersonPageModel) -> Node {
        let t = ctx.t, p = model.detail.person
        let facts: [(String, Node)] = [
            ("field.name", .text(p.name)), ("field.residentID", .text(p.idNumber)), ("field.sex", .text(RegistryNames.sex(p.sex, t))),
            ("field.birthDate", .text(p.birthDate)), ("field.mobile", .text(p.mobile ?? "")),
            ("field.region", RegistryNames.regionNode(p.regionCode, model.regionNames)),
            ("field.employerName", .text(p.organizationName ?? "")), ("field.postCategory", .text(RegistryNames.postCategory(p.postCategory, t))),
            ("field.serviceFields", .text(RegistryNames.serviceFields(p.serviceFields, t))),
        ]
        return .dl(.class("facts"), .forEach(facts) { key, value in .group(.dt(.text(t(key))), .dd(value)) })
    }

    static func certificates(_ ctx: PageContext, _ certificates: [CertificateInfo]) -> Node {
        let t = ctx.t
        let columns = ["field.certificateLevel", "field.certificateNumber", "field.issueDate", "registry.certificate.low_score",
                       "people.registrations"].map { DataTable.Column(t($0)) }
        let rows = certificates.map { c -> [Node] in
            [.text(RegistryNames.level(c.level, t)), .text(c.number), .text(c.issueDate), .text(t(c.lowScoreArea ? "common.yes" : "common.no")),
             .text(c.registrations.map { "\($0.periodStart) – \($0.periodEnd)" }.joined(separator: t("message.list_separator")))]
        }
        return DataTable(id: "certificates", columns: columns, rows: rows, empty: t("list.empty")).node()
    }

    static func employment(_ ctx: PageContext, _ employments: [EmploymentInfo]) -> Node {
        let t = ctx.t
        let columns = ["field.employerName", "field.postCategory", "registry.employment.start", "registry.employment.end"].map { DataTable.Column(t($0)) }
        let rows = employments.map { e -> [Node] in
            [.text(e.organizationName ?? ""), .text(RegistryNames.postCategory(e.postCategory, t)), .text(e.startDate),
             .text(e.endDate ?? t("registry.employment.current"))]
        }
        return DataTable(id: "employment", columns: columns, rows: rows, empty: t("list.empty")).node()
    }

    static func education(_ ctx: PageContext, _ p: PersonSummary) -> Node {
        let t = ctx.t
        let education = p.education.map { EducationLevel(rawValue: $0).map(t.name) ?? $0 } ?? ""
        let degree = p.socialWorkDegree.map { t($0 ? "common.yes" : "common.no") } ?? ""
        return DataTable(id: "education", columns: [.init(t("field.education")), .init(t("field.socialWorkDegree"))],
                         rows: [[.text(education), .text(degree)]]).node()
    }

    static func history(_ ctx: PageContext, _ model: PersonPageModel) -> Node {
        let t = ctx.t, employers = model.employerNames
        let columns = ["registry.history.time", "registry.history.actor", "registry.history.source", "registry.history.field",
                       "registry.history.before", "registry.history.after"].map { DataTable.Column(t($0)) }
        let rows = model.detail.history.map { change -> [Node] in
            func value(_ raw: String?) -> Node {
                // A region by its name with the code second; every other value as text.
                if change.field == "region_code" { return RegistryNames.regionNode(raw, model.regionNames) }
                return .text(PersonHistoryText.value(raw, field: change.field, t, regions: model.regionNames, employers: employers))
            }
            return [.text(BeijingTime.minute(iso: change.changedAt)), .text(change.actor), .text(RegistryNames.source(change.source, t)),
                    .text(PersonHistoryText.field(change.field, t)), value(change.before), value(change.after)]
        }
        return DataTable(id: "history", columns: columns, rows: rows, empty: t("list.empty")).node()
    }
}

/// A person's change as the history table says it: the field by its label, coded values by their
/// names (the store keeps the census template's values and the columns' names).
enum PersonHistoryText {
    static let fieldKeys = [
        "name": "field.name", "id_number": "field.residentID", "mobile": "field.mobile", "region_code": "field.region",
        "organization": "field.employerName", "post_category": "field.postCategory", "service_fields": "field.serviceFields",
        "education": "field.education", "social_work_degree": "field.socialWorkDegree", "certificate": "registry.history.field.certificate",
        "certificate_level": "field.certificateLevel", "certificate_low_score_area": "registry.certificate.low_score",
        "record": "registry.history.field.record",
    ]

    static func field(_ raw: String, _ t: LocalizedTexts) -> String { fieldKeys[raw].map { t($0) } ?? raw }

    static func value(_ raw: String?, field: String, _ t: LocalizedTexts, regions: [String: String], employers: [String: String]) -> String {
        guard let raw else { return "" }
        switch field {
        case "region_code": return RegistryNames.region(raw, regions, t)
        case "organization": return employers[raw] ?? raw
        case "post_category": return RegistryNames.postCategory(raw, t)
        case "education": return EducationLevel(rawValue: raw).map(t.name) ?? raw
        case "certificate_level": return RegistryNames.level(raw, t)
        case "social_work_degree": return RegistryNames.yesNo(raw, t)
        case "record": return raw == "created" ? t("registry.history.created") : raw
        case "service_fields": return RegistryNames.serviceFields(raw.split(separator: "、").map(String.init), t)
        // "社会工作师 2024-05-01 2024620001", "2024620001 是": each word that is a level or a yes/no by its name.
        case "certificate", "certificate_low_score_area":
            return raw.split(separator: " ").map { word in
                let word = String(word)
                return CertificateLevel(rawValue: word).map(t.name) ?? RegistryNames.yesNo(word, t)
            }.joined(separator: " ")
        default: return raw
        }
    }
}

// MARK: Create and edit

/// The person form as it opens or comes back with errors: the values as typed, the messages by field name.
struct PersonFormModel {
    var title: String
    var action: String
    var values: [String: String]
    var errors: [String: String]
}

enum PersonFormView {
    /// The form; `region` is the picker of the person's region (`regionCode`), by name.
    static func response(_ ctx: PageContext, _ model: PersonFormModel, region: RegionPicker, status: HTTPResponseStatus = .ok) -> Response {
        WebPage.render(ctx, title: model.title, active: "/people", content: page(ctx, model, region: region), status: status)
    }

    static func page(_ ctx: PageContext, _ model: PersonFormModel, region: RegionPicker) -> Node {
        let t = ctx.t
        func text(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Node {
            Field.input(t(label), name: name, value: model.values[name], error: model.errors[name], required: required, hint: hint.map { t($0) })
        }
        func choice(_ name: String, _ label: String, _ options: [(value: String, label: String)]) -> Node {
            Field.select(t(label), name: name, options: [(value: "", label: t("common.none"))] + options, selected: model.values[name],
                         error: model.errors[name])
        }
        return .group(Field.summary(ctx, count: model.errors.count),
                      .unwrap(model.errors[""]) { .notice($0, .error) },
                      .form(.id("person-form"), .method("post"), .action(model.action), .class("form"), ctx.csrfInput,
                            text("name", "field.name", required: true),
                            text("idNumber", "field.residentID", hint: "field.hint.residentID", required: true),
                            choice("sex", "field.sex", [Sex.male, Sex.female].map { (value: $0.rawValue, label: t.name($0)) }),
                            text("mobile", "field.mobile", hint: "field.hint.mobile"),
                            region.node(ctx),
                            text("employerName", "field.employerName"),
                            text("employerCreditCode", "field.employerCode"),
                            choice("postCategory", "field.postCategory", PostCategory.allCases.map { (value: $0.rawValue, label: t.name($0)) }),
                            serviceFields(ctx, model),
                            choice("education", "field.education", EducationLevel.allCases.map { (value: $0.rawValue, label: t.name($0)) }),
                            // The census template's own words are the values (是 / 否), as an import has them.
                            choice("socialWorkDegree", "field.socialWorkDegree", [(value: "是", label: t("common.yes")), (value: "否", label: t("common.no"))]),
                            choice("certificate.level", "field.certificateLevel", CertificateLevel.allCases.map { (value: $0.rawValue, label: t.name($0)) }),
                            text("certificate.number", "field.certificateNumber"),
                            text("certificate.issueDate", "field.issueDate", hint: "field.hint.date"),
                            .div(.class("actions"), .button(.type("submit"), .text(t("action.save"))), " ", .link("/people", t("action.cancel")))))
    }

    /// One box per service field, named in the page's language, ticked for the fields the person has.
    static func serviceFields(_ ctx: PageContext, _ model: PersonFormModel) -> Node {
        let held = Set((model.values["serviceFields"] ?? "").split(separator: "、").map { $0.trimmingCharacters(in: .whitespaces) })
        return .fieldset(.class("field", "checks", model.errors["serviceFields"] == nil ? "" : "invalid"), .id("f-serviceFields"),
                         .legend(.text(ctx.t("field.serviceFields"))),
                         .forEach(ServiceField.allCases) { field in
                             Field.checkbox(ctx.t.name(field), name: PersonFormValues.serviceFieldBox(field.rawValue), checked: held.contains(field.rawValue),
                                            id: "f-serviceFields-\(field)")
                         },
                         .unwrap(model.errors["serviceFields"]) { .small(.class("error"), .text($0)) })
    }
}
