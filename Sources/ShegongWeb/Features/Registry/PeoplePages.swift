import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// People search, the person page (with an audited reveal), and the create and edit forms. Every
/// read and change goes through the same service as the JSON API (`PersonService`); each handler
/// decodes, loads its model (`PeoplePages+Views.swift`) and hands it to a view that only renders.
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
            let pick = try await req.regionPick("region")
            // The export links: exactly the people of this filter, as a file (the API's export).
            if req.queryString("format") != nil { return try await PeopleController.export(req, regionCode: pick.code) }
            let (filter, _) = try req.personFilter()
            let model = try await PeopleSearchModel.load(req, ctx, filter: filter, pick: pick)
            return WebPage.render(ctx, title: ctx.t("people.title"), content: PeopleSearchView.page(ctx, model), wide: true)
        }
        routes.page(.GET, "people", "new", allow: Self.mayWrite) { req, ctx in
            try await Self.form(req, ctx, PersonFormModel(title: ctx.t("people.new"), action: "/people", values: [:], errors: [:]))
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
            return try await Self.form(req, ctx, PersonFormModel(title: ctx.t("registry.person.edit_title", record.name), action: "/people/\(id)",
                                                                 values: PersonFormValues(PersonInput(record: record)).fields, errors: [:]))
        }
        routes.page(.POST, "people", ":id", allow: Self.mayWrite) { req, ctx in
            let id = try req.parameter("id")
            try await req.requireVisiblePerson(id)
            return try await Self.save(req, ctx, target: id)
        }
    }

    static func personPage(_ req: Request, _ ctx: PageContext, reveal: Bool) async throws -> Response {
        let model = try await PersonPageModel.load(req, ctx, id: try req.parameter("id"), reveal: reveal)
        return WebPage.render(ctx, title: model.detail.person.name, active: "/people", content: PersonView.page(ctx, model))
    }

    // MARK: Create and edit

    /// Validates with the census row rules (as the API does) and saves through the service; on any error the form comes back with the messages beside the fields
    /// and nothing is saved.
    static func save(_ req: Request, _ ctx: PageContext, target: String?) async throws -> Response {
        let posted = try req.content.decode([String: String].self)
        // The region picker's lists (or its search) give the region code.
        let pick = try await RegionPick.read("regionCode", value: { posted[$0] }, regions: try req.regionService)
        var fields = posted.filter { $0.key != CSRF.field }
        if posted["regionCode_1"] != nil || posted["regionCode_m"] != nil || pick.code != nil { fields["regionCode"] = pick.code ?? "" }
        let values = PersonFormValues(fields: fields).fields
        func again(_ details: [(String?, String)], status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
            let title = target == nil ? ctx.t("people.new") : ctx.t("registry.person.edit_title", values["name"] ?? "")
            let model = PersonFormModel(title: title, action: target.map { "/people/\($0)" } ?? "/people", values: values, errors: fieldErrors(details))
            return try await form(req, ctx, model, search: pick.search, status: status)
        }
        // Only the picker's "choose / find": the form again, one level further, nothing saved.
        if pick.moveOnly { return try await again([], status: .ok) }
        do {
            let record = try PersonFormValues(fields: values).input.record(today: CivilDate.today())
            let saved = try await req.personService.save(record, target: target, source: "web")
            return req.redirect(onSite: "/people/\(saved.person.person.id)?saved=1", redirectType: .normal)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await again(error.details.map { ($0.field, $0.message(ctx.language)) })
        } catch let error as StoreError where error.kind != .notFound {
            return try await again(error.details.isEmpty ? [(nil, error.message(ctx.language))] : error.details.map { ($0.field, $0.message(ctx.language)) })
        }
    }

    /// The person form with its region picker at the person's region.
    static func form(_ req: Request, _ ctx: PageContext, _ model: PersonFormModel, search: String? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let region = try await req.regionPicker("regionCode", label: ctx.t("field.region"), selected: model.values["regionCode"],
                                                search: search, error: model.errors["regionCode"], required: true)
        return PersonFormView.response(ctx, model, region: region, status: status)
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
}

/// The person form's fields, named like `PersonInput`'s JSON properties (`certificate.level` for
/// the nested ones), as text.
struct PersonFormValues {
    static let names = ["name", "idNumber", "sex", "mobile", "regionCode", "employerName", "employerCreditCode", "postCategory",
                        "serviceFields", "education", "socialWorkDegree", "certificate.level", "certificate.number", "certificate.issueDate"]
    var fields: [String: String]

    /// The form's fields as sent. The service fields come as one box per field
    /// (`serviceFields.社区`, so a page in any language shows their names); they are joined here into
    /// the census template's own list (`社区、养老`), after any typed `serviceFields` value.
    init(fields: [String: String]) {
        var fields = fields
        let ticked = ServiceField.allCases.map(\.rawValue).filter { fields.removeValue(forKey: Self.serviceFieldBox($0)) != nil }
        if !ticked.isEmpty {
            fields["serviceFields"] = ((fields["serviceFields"].map { [$0] } ?? []) + ticked).joined(separator: "、")
        }
        self.fields = fields
    }

    static func serviceFieldBox(_ raw: String) -> String { "serviceFields." + raw }

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
