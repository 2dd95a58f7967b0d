import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

// The people pages' models (loaded through `PersonService`, `OrganizationService` and
// `RegionService`) and their views, which only render what the model holds.

// MARK: Search

/// What the search page shows: the filter as asked, one page of results, the employers to choose from.
struct PeopleSearchModel {
    var filter: PersonFilter
    var results: ShegongStore.Page<PersonSummary>
    var organizations: [OrganizationInfo]
    var mayWrite: Bool
    /// The region filter (officials: their own region and below).
    var region: RegionPicker

    static func load(_ req: Request, _ ctx: PageContext, filter: PersonFilter, pick: RegionPick) async throws -> PeopleSearchModel {
        let results = try await req.personService.list(filter, regionCode: pick.code)
        let organizations = try await req.organizationService.choices().items
        let region = try await req.regionPicker("region", label: ctx.t("field.region"), selected: pick.code, search: pick.search)
        return PeopleSearchModel(filter: filter, results: results, organizations: organizations, mayWrite: PeoplePages.mayWrite(ctx.principal),
                                 region: region)
    }
}

enum PeopleSearchView {
    static func page(_ ctx: PageContext, _ model: PeopleSearchModel) -> Node {
        let t = ctx.t, results = model.results
        return .group(form(ctx, model.filter, organizations: model.organizations, region: model.region),
                      .if(model.mayWrite, .p(.link("/people/new", t("people.new"), .class("button")))),
                      .p(.text(t("pager.results", String(results.total)))),
                      table(ctx, results.items),
                      Pager.node(ctx, page: results.page, perPage: results.perPage, total: results.total))
    }

    static func form(_ ctx: PageContext, _ filter: PersonFilter, organizations: [OrganizationInfo], region: RegionPicker) -> Node {
        let t = ctx.t
        let all: [(value: String, label: String)] = [("", t("common.all"))]
        let categories = all + PostCategory.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let levels = all + CertificateLevel.allCases.map { (value: $0.rawValue, label: t.name($0)) }
            + [(value: CensusFacts.none, label: t("certificateLevel.none"))]
        let employers = all + organizations.map { (value: $0.id, label: $0.name) }
        return .form(.id("people-search"), .method("get"), .action("/people"), .class("filters"),
                     Field.input(t("field.name"), name: "name", value: filter.name),
                     Field.input(t("field.residentID"), name: "idNumber", value: filter.idNumber, hint: t("field.hint.residentID")),
                     Field.input(t("field.certificateNumber"), name: "certificateNumber", value: filter.certificateNumber),
                     Field.select(t("field.employerName"), name: "organization", options: employers, selected: filter.organizationID),
                     Field.select(t("field.postCategory"), name: "postCategory", options: categories, selected: filter.postCategory?.rawValue),
                     Field.select(t("field.certificateLevel"), name: "level", options: levels, selected: filter.level),
                     region.node(ctx),
                     .div(.class("actions"), .button(.type("submit"), .text(t("action.search"))), " ", .link("/people", t("action.reset"))))
    }

    static func table(_ ctx: PageContext, _ people: [PersonSummary]) -> Node {
        let t = ctx.t
        let columns = ["field.name", "field.residentID", "field.sex", "field.mobile", "field.employerName", "field.postCategory",
                       "field.certificateLevel"].map { DataTable.Column(t($0)) }
        let rows = people.map { person -> [Node] in
            [.link("/people/\(person.id)", person.name), .text(person.idNumber), .text(RegistryNames.sex(person.sex, t)),
             .text(person.mobile ?? ""), .text(person.organizationName ?? ""), .text(RegistryNames.postCategory(person.postCategory, t)),
             .text(RegistryNames.level(person.certificateLevel, t))]
        }
        return DataTable(id: "people-results", columns: columns, rows: rows, empty: t("list.empty")).node()
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
        return PersonPageModel(detail: detail, regionNames: names, revealed: reveal, saved: req.query[String.self, at: "saved"] != nil,
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
    /// The region picker of the person's region (`regionCode`).
    var region: RegionPicker?
}

enum PersonFormView {
    static func response(_ ctx: PageContext, _ model: PersonFormModel, status: HTTPResponseStatus = .ok) -> Response {
        WebPage.render(ctx, title: model.title, active: "/people", content: page(ctx, model), status: status)
    }

    static func page(_ ctx: PageContext, _ model: PersonFormModel) -> Node {
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
                            model.region.map { $0.node(ctx) } ?? text("regionCode", "field.regionCode", required: true),
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
