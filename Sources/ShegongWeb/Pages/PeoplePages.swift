import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// People search, the person page (with an audited reveal), and the create and edit forms. Every
/// read and change goes through the same service as the JSON API (`PersonService`).
struct PeoplePages: RouteCollection {
    /// Whoever may see personal data may open these pages; the store cuts what they see.
    static func mayRead(_ principal: Principal) -> Bool { principal.scope.allowsPersonalData }

    /// Read-write officials and organisation managers change people (inside their scope).
    static func mayWrite(_ principal: Principal) -> Bool {
        switch principal.scope {
        case .region(_, .readWrite), .organization: return true
        default: return false
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "people", allow: Self.mayRead) { req, ctx in
            let (filter, regionCode) = try req.personFilter()
            let results = try await req.personService.list(filter, regionCode: regionCode)
            return WebPage.render(ctx, title: ctx.t("people.title"), content: try await Self.search(ctx, filter: filter, results: results), wide: true)
        }
        routes.page(.GET, "people", "new", allow: Self.mayWrite) { req, ctx in
            Self.formPage(ctx, title: ctx.t("people.new"), action: "/people", values: [:], errors: [:])
        }
        routes.page(.POST, "people", allow: Self.mayWrite) { req, ctx in
            try await Self.save(req, ctx, target: nil)
        }
        routes.page(.GET, "people", ":id", allow: Self.mayRead) { req, ctx in
            try await Self.personPage(req, ctx, reveal: false)
        }
        routes.page(.POST, "people", ":id", "reveal", allow: Self.mayRead) { req, ctx in
            try await Self.personPage(req, ctx, reveal: true)
        }
        routes.page(.GET, "people", ":id", "edit", allow: Self.mayWrite) { req, ctx in
            let id = try req.parameter("id")
            // The form holds the full ID and mobile numbers: opening it is an audited reveal.
            let record = try await req.personService.editableRecord(id)
            return Self.formPage(ctx, title: ctx.t("registry.person.edit_title", record.name), action: "/people/\(id)",
                                 values: PersonFormValues(PersonInput(record: record)).fields, errors: [:])
        }
        routes.page(.POST, "people", ":id", allow: Self.mayWrite) { req, ctx in
            let id = try req.parameter("id")
            try await req.requireVisiblePerson(id)
            return try await Self.save(req, ctx, target: id)
        }
    }

    // MARK: Search

    static func search(_ ctx: PageContext, filter: PersonFilter, results: Page<PersonSummary>) async throws -> String {
        let t = ctx.t
        let req = ctx.request
        let organizations = try await req.organizationService.choices()
        let categoryOptions = [("", t("common.all"))] + PostCategory.allCases.map { ($0.rawValue, t.name($0)) }
        let levelOptions = [("", t("common.all"))] + CertificateLevel.allCases.map { ($0.rawValue, t.name($0)) }
            + [(CensusFacts.none, t("certificateLevel.none"))]
        let organizationOptions = [("", t("common.all"))] + organizations.items.map { ($0.id, $0.name) }
        var html = #"<form id="people-search" method="get" action="/people" class="filters">"#
            + Form.field(t("field.name"), name: "name", value: filter.name)
            + Form.field(t("field.residentID"), name: "idNumber", value: filter.idNumber, hint: t("field.hint.residentID"))
            + Form.field(t("field.certificateNumber"), name: "certificateNumber", value: filter.certificateNumber)
            + Form.select(t("field.employerName"), name: "organization", options: organizationOptions, selected: filter.organizationID)
            + Form.select(t("field.postCategory"), name: "postCategory", options: categoryOptions, selected: filter.postCategory?.rawValue)
            + Form.select(t("field.certificateLevel"), name: "level", options: levelOptions, selected: filter.level)
            + #"<div class="actions"><button type="submit">\#(HTML.escape(t("action.search")))</button> <a href="/people">\#(HTML.escape(t("action.reset")))</a></div></form>"#
        if mayWrite(ctx.principal) {
            html += #"<p><a class="button" href="/people/new">\#(HTML.escape(t("people.new")))</a></p>"#
        }
        html += #"<p>\#(HTML.escape(t("pager.results", String(results.total))))</p>"#
        let headers = ["field.name", "field.residentID", "field.sex", "field.mobile", "field.employerName", "field.postCategory", "field.certificateLevel"]
        let rows = results.items.map { person in
            [link("/people/\(person.id)", person.name)] + [
                person.idNumber, person.sex, person.mobile ?? "", person.organizationName ?? "",
                person.postCategory.map { t("postCategory.\($0)") } ?? "", t("certificateLevel.\(person.certificateLevel ?? "none")"),
            ].map(HTML.escape)
        }
        return html + table(t, id: "people-results", headers: headers, htmlRows: rows)
            + Pager.node(ctx, page: results.page, perPage: results.perPage, total: results.total).render()
    }

    // MARK: Person page

    static func personPage(_ req: Request, _ ctx: PageContext, reveal: Bool) async throws -> Response {
        let id = try req.parameter("id")
        let people = try req.personService
        let detail = reveal ? try await people.reveal(id) : try await people.person(id)
        let t = ctx.t
        let p = detail.person
        var html = ""
        if reveal { html += HTML.notice(t("registry.person.revealed"), kind: "ok") }
        if req.query[String.self, at: "saved"] != nil { html += HTML.notice(t("common.saved"), kind: "ok") }
        html += #"<p class="actions">"#
        if mayWrite(ctx.principal) {
            html += #"<a id="edit-person" class="button" href="/people/\#(HTML.escape(id))/edit">\#(HTML.escape(t("action.edit")))</a> "#
        }
        if IncentivePages.isUser(ctx.principal) {
            html += #"<a id="person-eligibility" class="button secondary" href="/incentives/eligibility/\#(HTML.escape(id))">\#(HTML.escape(t("incentives.eligibility")))</a> "#
        }
        if !reveal {
            html += #"<form method="post" action="/people/\#(HTML.escape(id))/reveal" class="inline">\#(ctx.csrfField)<button type="submit" id="reveal-person">\#(HTML.escape(t("registry.person.reveal")))</button></form>"#
        }
        html += "</p>"
        let facts: [(String, String)] = [
            ("field.name", p.name), ("field.residentID", p.idNumber), ("field.sex", p.sex), ("field.birthDate", p.birthDate),
            ("field.mobile", p.mobile ?? ""), ("field.regionCode", p.regionCode), ("field.employerName", p.organizationName ?? ""),
            ("field.postCategory", p.postCategory.map { t("postCategory.\($0)") } ?? ""),
            ("field.serviceFields", p.serviceFields.map { t("serviceField.\($0)") }.joined(separator: "、")),
        ]
        html += #"<dl class="facts">"# + facts.map { "<dt>\(HTML.escape(t($0.0)))</dt><dd>\(HTML.escape($0.1))</dd>" }.joined() + "</dl>"

        html += "<h2>\(HTML.escape(t("people.certificates")))</h2>"
        html += table(t, id: "certificates", headers: ["field.certificateLevel", "field.certificateNumber", "field.issueDate", "registry.certificate.low_score", "people.registrations"],
                      rows: detail.certificates.map { c in
                          [t("certificateLevel.\(c.level)"), c.number, c.issueDate, t(c.lowScoreArea ? "common.yes" : "common.no"),
                           c.registrations.map { "\($0.periodStart) – \($0.periodEnd)" }.joined(separator: "；")]
                      })
        html += "<h2>\(HTML.escape(t("people.employment")))</h2>"
        html += table(t, id: "employment", headers: ["field.employerName", "field.postCategory", "registry.employment.start", "registry.employment.end"],
                      rows: detail.employments.map { e in
                          [e.organizationName ?? "", e.postCategory.map { t("postCategory.\($0)") } ?? "", e.startDate, e.endDate ?? t("registry.employment.current")]
                      })
        html += "<h2>\(HTML.escape(t("people.education")))</h2>"
        html += table(t, id: "education", headers: ["field.education", "field.socialWorkDegree"],
                      rows: [[p.education.map { t("education.\($0)") } ?? "", p.socialWorkDegree.map { t($0 ? "common.yes" : "common.no") } ?? ""]])
        html += "<h2>\(HTML.escape(t("common.history")))</h2>"
        html += table(t, id: "history", headers: ["registry.history.time", "registry.history.actor", "registry.history.source",
                                                  "registry.history.field", "registry.history.before", "registry.history.after"],
                      rows: detail.history.map { [$0.changedAt, $0.actor, $0.source, $0.field, $0.before ?? "", $0.after ?? ""] })
        return WebPage.render(ctx, title: p.name, active: "/people", content: html)
    }

    /// A plain table of text cells (every cell escaped); headers are catalogue keys.
    static func table(_ t: LocalizedTexts, id: String, headers: [String], rows: [[String]]) -> String {
        table(t, id: id, headers: headers, htmlRows: rows.map { $0.map(HTML.escape) })
    }

    /// A table whose cells are HTML the caller escaped (e.g. a link around an escaped name).
    static func table(_ t: LocalizedTexts, id: String, headers: [String], htmlRows rows: [[String]]) -> String {
        guard !rows.isEmpty else { return HTML.notice(t("list.empty")) }
        return #"<table id="\#(id)" class="list"><thead><tr>"# + headers.map { "<th>\(HTML.escape(t($0)))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
    }

    /// `<a href="/people/ID">NAME</a>`, escaped.
    static func link(_ path: String, _ text: String) -> String {
        #"<a href="\#(HTML.escape(path))">\#(HTML.escape(text))</a>"#
    }

    // MARK: Create and edit

    /// Validates with the census row rules (as the API does) and saves through the service; on any error the form comes back with the messages beside the fields
    /// and nothing is saved.
    static func save(_ req: Request, _ ctx: PageContext, target: String?) async throws -> Response {
        let values = try req.content.decode([String: String].self).filter { $0.key != CSRF.field }
        let action = target.map { "/people/\($0)" } ?? "/people"
        let title = target == nil ? ctx.t("people.new") : ctx.t("registry.person.edit_title", values["name"] ?? "")
        do {
            let record = try PersonFormValues(fields: values).input.record(today: CivilDate.today())
            let saved = try await req.personService.save(record, target: target, source: "web")
            return req.redirect(onSite: "/people/\(saved.person.person.id)?saved=1", redirectType: .normal)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return formPage(ctx, title: title, action: action, values: values, errors: fieldErrors(error.details.map { ($0.field, $0.message(ctx.language)) }),
                            status: .unprocessableEntity)
        } catch let error as StoreError where error.kind != .notFound {
            let details: [(String?, String)] = error.details.isEmpty ? [(nil, error.message(ctx.language))] : error.details.map { ($0.field, $0.message(ctx.language)) }
            return formPage(ctx, title: title, action: action, values: values, errors: fieldErrors(details), status: .unprocessableEntity)
        }
    }

    /// Errors by form field name; an error naming a template column goes to the field of that
    /// column, one naming no known field to the summary (key "").
    static func fieldErrors(_ details: [(String?, String)]) -> [String: String] {
        var errors: [String: String] = [:]
        func formName(_ field: String) -> String? {
            if let column = CensusColumn(rawValue: field) { return PersonInput.fieldNames[column] }
            return PersonFormValues.names.contains(field) ? field : nil
        }
        for (field, message) in details {
            let name = field.flatMap(formName) ?? ""
            errors[name] = errors[name].map { $0 + " " + message } ?? message
        }
        return errors
    }

    static func formPage(_ ctx: PageContext, title: String, action: String, values: [String: String], errors: [String: String],
                         status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        func text(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> String {
            Form.field(t(label), name: name, value: values[name], error: errors[name], required: required, hint: hint.map { t($0) })
        }
        func choice(_ name: String, _ label: String, _ options: [(String, String)]) -> String {
            Form.select(t(label), name: name, options: [("", t("common.none"))] + options, selected: values[name], error: errors[name])
        }
        var html = Form.summary(ctx, count: errors.count)
        if let general = errors[""] { html += HTML.notice(general, kind: "error") }
        html += #"<form id="person-form" method="post" action="\#(HTML.escape(action))" class="form">\#(ctx.csrfField)"#
            + text("name", "field.name", required: true)
            + text("idNumber", "field.residentID", hint: "field.hint.residentID", required: true)
            + choice("sex", "field.sex", [Sex.male, Sex.female].map { ($0.rawValue, t.name($0)) })
            + text("mobile", "field.mobile", hint: "field.hint.mobile")
            + text("regionCode", "field.regionCode", required: true)
            + text("employerName", "field.employerName")
            + text("employerCreditCode", "field.employerCode")
            + choice("postCategory", "field.postCategory", PostCategory.allCases.map { ($0.rawValue, t.name($0)) })
            + text("serviceFields", "field.serviceFields", hint: "field.hint.serviceFields")
            + choice("education", "field.education", EducationLevel.allCases.map { ($0.rawValue, t.name($0)) })
            + choice("socialWorkDegree", "field.socialWorkDegree", [("是", t("common.yes")), ("否", t("common.no"))])
            + choice("certificate.level", "field.certificateLevel", CertificateLevel.allCases.map { ($0.rawValue, t.name($0)) })
            + text("certificate.number", "field.certificateNumber")
            + text("certificate.issueDate", "field.issueDate", hint: "field.hint.date")
            + #"<div class="actions"><button type="submit">\#(HTML.escape(t("action.save")))</button> <a href="/people">\#(HTML.escape(t("action.cancel")))</a></div></form>"#
        return WebPage.render(ctx, title: title, active: "/people", content: html, status: status)
    }
}

/// The person form's fields, named like `PersonInput`'s JSON properties (`certificate.level` for
/// the nested ones), as text.
struct PersonFormValues {
    static let names = ["name", "idNumber", "sex", "mobile", "regionCode", "employerName", "employerCreditCode", "postCategory",
                        "serviceFields", "education", "socialWorkDegree", "certificate.level", "certificate.number", "certificate.issueDate"]
    var fields: [String: String]

    init(fields: [String: String]) { self.fields = fields }

    init(_ input: PersonInput) {
        let pairs: [(String, String?)] = [
            ("name", input.name), ("idNumber", input.idNumber), ("sex", input.sex), ("mobile", input.mobile), ("regionCode", input.regionCode),
            ("employerName", input.employerName), ("employerCreditCode", input.employerCreditCode), ("postCategory", input.postCategory),
            ("serviceFields", input.serviceFields?.joined(separator: "、")), ("education", input.education),
            ("socialWorkDegree", input.socialWorkDegree.map { $0 ? "是" : "否" }),
            ("certificate.level", input.certificate?.level), ("certificate.number", input.certificate?.number),
            ("certificate.issueDate", input.certificate?.issueDate),
        ]
        fields = Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
    }

    /// The JSON body the form stands for; blank fields are absent.
    var input: PersonInput {
        func value(_ name: String) -> String? {
            guard let text = fields[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var input = PersonInput()
        input.name = value("name")
        input.idNumber = value("idNumber")
        input.sex = value("sex")
        input.mobile = value("mobile")
        input.regionCode = value("regionCode")
        input.employerName = value("employerName")
        input.employerCreditCode = value("employerCreditCode")
        input.postCategory = value("postCategory")
        input.serviceFields = value("serviceFields").map { [$0] }
        input.education = value("education")
        input.socialWorkDegree = value("socialWorkDegree").map { $0 == "是" }
        if let level = value("certificate.level") {
            input.certificate = .init(level: level, number: value("certificate.number"), issueDate: value("certificate.issueDate"))
        }
        return input
    }
}

/// Previous / next links that keep the current query.
/// "Previous · page 2 of 7 · next" under a long list, keeping the page's other query items.
enum Pager {
    static func node(_ ctx: PageContext, page: Int, perPage: Int, total: Int) -> Node {
        let pages = max(1, (total + perPage - 1) / perPage)
        guard pages > 1 else { return .empty }
        func link(_ target: Int, _ key: String) -> Node {
            var components = URLComponents(string: ctx.request.url.string) ?? URLComponents()
            var items = (components.queryItems ?? []).filter { $0.name != "page" }
            items.append(URLQueryItem(name: "page", value: String(target)))
            components.queryItems = items
            return .link(components.string ?? "?page=\(target)", ctx.t(key))
        }
        return .nav(.class("pager"), .ariaLabel(ctx.t("pager.label")),
                    .if(page > 1, .group(link(page - 1, "action.previous_page"), " ")),
                    .span(.text(ctx.t("pager.page", String(page), String(pages)))),
                    .if(page < pages, .group(" ", link(page + 1, "action.next_page"))))
    }
}
