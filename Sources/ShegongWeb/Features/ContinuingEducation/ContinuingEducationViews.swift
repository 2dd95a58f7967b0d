import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore

// The continuing-education pages' views: they only render what their model holds.

enum LedgerView {
    static func page(_ ctx: PageContext, _ model: LedgerModel) -> Node {
        let t = ctx.t, ledger = model.ledger, person = ledger.person
        let id = ContinuingEducationPages.escaped(person.id)
        return .group(
            .p(.class("no-print"), .link("/people/\(id)", t("ledger.back", person.name)),
               .unwrap(model.regionName) { .group(" · ", .text($0)) },
               .unwrap(person.organizationName) { .group(" · ", .text($0)) }),
            .unwrap(model.done) { .notice(t("ledger.done.\($0 == "registered" || $0 == "renewed" || $0 == "enrolled" ? $0 : "recognised")"), .ok) },
            status(ctx, ledger.decision),
            .forEach(ledger.decision.periods.enumerated().reversed()) { index, period in periodNode(ctx, period, index: index) },
            registrationForms(ctx, model),
            credits(ctx, ledger),
            recognitions(ctx, ledger.recognitions),
            degrees(ctx, ledger.degrees),
            .if(model.mayRecord, recognitionForm(ctx, model)),
            .if(model.mayEnrol, degreeForm(ctx, model)))
    }

    /// The person's registration status: a reminder when something is due.
    static func status(_ ctx: PageContext, _ decision: RegistrationDecision) -> Node {
        let t = ctx.t
        let kind: Node.NoticeKind
        switch decision.status {
        case .firstOverdue, .overdue: kind = .error
        case .firstDue, .window: kind = .warning
        case .current, .noCertificate: kind = .info
        }
        return .section(.id("ledger-status"), .data("data-status", decision.status.rawValue),
                        .notice(reminder(ctx, decision), kind),
                        .unwrap(decision.firstRegistration) { check in .p(.class("first-registration"), .text(check.message.text(ctx.language))) },
                        .if(decision.status == .noCertificate, .empty))
    }

    /// One sentence: what is due and by when, with the hours (also the home page's reminder).
    static func reminder(_ ctx: PageContext, _ decision: RegistrationDecision) -> String {
        let t = ctx.t
        switch decision.status {
        case .noCertificate: return t("renewal.reminder.no_certificate")
        case .firstDue: return t("renewal.reminder.first_due", decision.firstDeadline?.description ?? "")
        case .firstOverdue: return t("renewal.reminder.first_overdue", decision.firstDeadline?.description ?? "")
        case .current, .window, .overdue:
            guard let latest = decision.latest else { return t(decision.status.catalogueKey) }
            let args = [latest.period.windowOpens.description, latest.period.end.description,
                        RegistrationRules.hoursText(latest.doneMinutes), RegistrationRules.hoursText(latest.requiredMinutes)]
            return Catalogue.text("renewal.reminder.\(decision.status.rawValue)", ctx.language, arguments: args)
        }
    }

    static func periodNode(_ ctx: PageContext, _ period: PeriodDecision, index: Int) -> Node {
        let t = ctx.t
        let rows = period.checks.map { check -> [Node] in
            [.text(t.name(check.rule)), .span(.class("outcome", check.outcome.rawValue), .text(t.name(check.outcome))),
             .text(check.message.text(ctx.language))]
        }
        let table = DataTable(columns: ["ledger.column.rule", "ledger.column.outcome", "ledger.column.explanation"].map { DataTable.Column(t($0)) },
                              rows: rows, caption: t("ledger.explanation"))
        return .section(.class("period"), .id("period-\(index)"), .data("data-state", period.state.rawValue),
                        .h2(.text(t("ledger.period", period.period.start.description, period.period.end.description)), " ",
                            .small(.text(t.name(period.state)))),
                        .p(.class("hours"),
                           .span(.class("required-hours"), .text(t("ledger.required", RegistrationRules.hoursText(period.requiredMinutes),
                                                                   period.level.map(t.name) ?? t("certificateLevel.none")))), " · ",
                           .span(.class("done-hours"), .text(t("ledger.done_hours", RegistrationRules.hoursText(period.doneMinutes)))),
                           .if(period.shortMinutes > 0 && period.level != nil,
                               .group(" · ", .span(.class("short-hours"), .text(t("ledger.short", RegistrationRules.hoursText(period.shortMinutes))))))),
                        .p(.class("window"), .text(t("ledger.window", period.period.windowOpens.description, period.period.end.description))),
                        table.node())
    }

    static func registrationForms(_ ctx: PageContext, _ model: LedgerModel) -> Node {
        let t = ctx.t, decision = model.ledger.decision
        guard model.mayRecord, decision.status != .noCertificate else { return .empty }
        let id = ContinuingEducationPages.escaped(model.ledger.person.id)
        let refused: Node = .if(!model.form.registration.isEmpty,
                                .div(.id("registration-refused"), .class("alert", "error"), .role("alert"),
                                     .forEach(model.form.registration) { .p(.text($0)) }))
        if decision.periods.isEmpty {
            return .section(.id("registration-forms"), .h2(.text(t("ledger.registration"))), refused,
                            .form(.method("post"), .action("/people/\(id)/ledger/registrations"), ctx.csrfInput,
                                  Field.input(t("ledger.registered_on"), name: "registeredOn", value: CivilDate.today().description, type: "date"),
                                  .button(.type("submit"), .id("register-first"), .text(t("ledger.register_first")))))
        }
        return .section(.id("registration-forms"), .h2(.text(t("ledger.registration"))), refused,
                        .form(.method("post"), .action("/people/\(id)/ledger/renewals"), ctx.csrfInput,
                              .button(.type("submit"), .id("renew"), .text(t("ledger.renew")))))
    }

    static func credits(_ ctx: PageContext, _ ledger: ContinuingEducationService.Ledger) -> Node {
        let t = ctx.t
        let rows = ledger.credits.reversed().map { credit -> [Node] in
            [.text(credit.creditedOn.description), .text(t.name(credit.source)), .text(credit.description),
             .text(RegistrationRules.hoursText(credit.source == .degree ? RegistrationRules.degreeMinutes : credit.minutes))]
        }
        return .section(.id("ledger-credits"), .h2(.text(t("ledger.credits"))),
                        DataTable(columns: [DataTable.Column(t("ledger.column.date")), DataTable.Column(t("ledger.column.source")),
                                            DataTable.Column(t("ledger.column.description")), DataTable.Column(t("ledger.column.hours"), numeric: true)],
                                  rows: Array(rows), empty: t("ledger.no_credits")).node())
    }

    static func recognitions(_ ctx: PageContext, _ items: [Recognition]) -> Node {
        let t = ctx.t
        guard !items.isEmpty else { return .empty }
        let rows = items.map { r -> [Node] in
            [.text(r.learnedOn), .text(r.title), .text(RegistrationRules.hoursText(r.minutes)),
             .joined(r.files.map { .link("/education-evidence/\(ContinuingEducationPages.escaped($0.id))", $0.fileName) }, separator: " "),
             .text(r.recordedBy)]
        }
        return .section(.id("ledger-recognitions"), .h2(.text(t("ledger.recognitions"))),
                        DataTable(columns: ["ledger.column.date", "ledger.column.description", "ledger.column.hours", "ledger.column.evidence",
                                            "ledger.column.recorded_by"].map { DataTable.Column(t($0)) }, rows: rows).node())
    }

    static func degrees(_ ctx: PageContext, _ items: [DegreeStudy]) -> Node {
        let t = ctx.t
        guard !items.isEmpty else { return .empty }
        return .section(.id("ledger-degrees"), .h2(.text(t("degree.title"))), DegreeView.table(ctx, items, regionNames: [:], showPerson: false))
    }

    static func recognitionForm(_ ctx: PageContext, _ model: LedgerModel) -> Node {
        let t = ctx.t, form = model.form
        let id = ContinuingEducationPages.escaped(model.ledger.person.id)
        let token = ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .section(.id("recognition-form"), .h2(.text(t("ledger.recognise"))),
                        Field.summary(ctx, count: form.errors.count),
                        .form(.method("post"), .enctype("multipart/form-data"), .action("/people/\(id)/ledger/recognitions?csrf=\(token)"),
                              Field.input(t("ledger.field.title"), name: "title", value: form.values["title"], error: form.errors["title"], required: true),
                              Field.input(t("ledger.field.hours"), name: "hours", value: form.values["hours"], type: "number", error: form.errors["hours"],
                                          required: true, .attribute("step", "0.5"), .attribute("min", "0.5")),
                              Field.input(t("ledger.field.learned_on"), name: "learnedOn", value: form.values["learnedOn"], type: "date",
                                          error: form.errors["learnedOn"], required: true),
                              Field.input(t("evidence.files"), name: "evidence", type: "file", error: form.errors["evidence"],
                                          hint: t("evidence.hint", String(EvidenceRules.maxFileBytes >> 20), String(EvidenceRules.maxFiles)),
                                          .multiple(), .accept(EvidenceRules.acceptList)),
                              .button(.type("submit"), .text(t("ledger.recognise")))))
    }

    static func degreeForm(_ ctx: PageContext, _ model: LedgerModel) -> Node {
        let t = ctx.t, errors = model.form.degreeErrors, values = model.form.degreeValues
        let id = ContinuingEducationPages.escaped(model.ledger.person.id)
        let levels = DegreeLevel.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        let modes = StudyMode.allCases.map { (value: $0.rawValue, label: t.name($0)) }
        return .section(.id("degree-form"), .h2(.text(t("degree.enrol"))),
                        Field.summary(ctx, count: errors.count),
                        .form(.method("post"), .action("/people/\(id)/ledger/degrees"), ctx.csrfInput,
                              Field.input(t("degree.field.institution"), name: "institution", value: values["institution"], error: errors["institution"], required: true),
                              Field.select(t("degree.field.level"), name: "level", options: levels, selected: values["level"], error: errors["level"]),
                              Field.select(t("degree.field.mode"), name: "mode", options: modes, selected: values["mode"], error: errors["mode"]),
                              Field.input(t("degree.field.start"), name: "startDate", value: values["startDate"], type: "date", error: errors["startDate"], required: true),
                              Field.input(t("degree.field.expected"), name: "expectedCompletion", value: values["expectedCompletion"], type: "date",
                                          error: errors["expectedCompletion"], required: true),
                              .button(.type("submit"), .text(t("degree.enrol")))))
    }
}

enum RegistrationListView {
    static func page(_ ctx: PageContext, _ model: RegistrationListModel) -> Node {
        let t = ctx.t
        func query(_ kind: RegistrationListKind, format: String? = nil) -> String {
            var items = [URLQueryItem(name: "list", value: kind.rawValue)]
            if let region = model.regionCode, !region.isEmpty { items.append(URLQueryItem(name: "region", value: region)) }
            if let org = model.organizationID, !org.isEmpty { items.append(URLQueryItem(name: "organization", value: org)) }
            if let format { items.append(URLQueryItem(name: "format", value: format)) }
            var components = URLComponents()
            components.path = "/registrations"
            components.queryItems = items
            return components.string ?? "/registrations"
        }
        let tabs = Node.nav(.class("tabs"), .id("registration-lists"),
                            .joined(RegistrationListKind.allCases.map { kind in
                                .link(query(kind), t("registration.list.\(kind.rawValue)"), .current(kind == model.kind))
                            }, separator: " · "))
        let employers = [(value: "", label: t("common.all"))] + model.organizations.map { (value: $0.id, label: $0.name) }
        let filters = Node.form(.method("get"), .action("/registrations"), .class("filters"),
                                .input(.type("hidden"), .name("list"), .value(model.kind.rawValue)),
                                model.region.node(ctx),
                                Field.select(t("field.employerName"), name: "organization", options: employers, selected: model.organizationID),
                                .div(.class("actions"), .button(.type("submit"), .text(t("action.search")))))
        let page = model.items
        let rows = page.items.map { item -> [Node] in
            let status = RegistrationDecision.Status(rawValue: item.status).map(t.name) ?? item.status
            return [.link("/people/\(ContinuingEducationPages.escaped(item.personID))/ledger", item.name),
                    .text(model.regionNames[item.regionCode] ?? ""), .text(item.organizationName ?? ""),
                    .text(RegistryNames.level(item.certificateLevel, t)), .span(.class("status", item.status), .text(status)),
                    .text(item.periodStart.map { t("ledger.period", $0, item.periodEnd ?? "") } ?? ""), .text(item.deadline),
                    .text(RegistrationRules.hoursText(item.doneMinutes)), .text(RegistrationRules.hoursText(item.requiredMinutes))]
        }
        let columns = [DataTable.Column(t("field.name")), DataTable.Column(t("registration.column.region")), DataTable.Column(t("field.employerName")),
                       DataTable.Column(t("field.certificateLevel")), DataTable.Column(t("registration.column.status")),
                       DataTable.Column(t("registration.column.period")), DataTable.Column(t("registration.column.deadline")),
                       DataTable.Column(t("registration.column.done"), numeric: true), DataTable.Column(t("registration.column.required"), numeric: true)]
        return .group(tabs, .p(.text(t("registration.explain.\(model.kind.rawValue)"))), filters,
                      .p(.class("no-print"), .link(query(model.kind, format: "xlsx"), t("registration.export_xlsx"), .id("export-xlsx")), " · ",
                         .link(query(model.kind, format: "csv"), t("registration.export_csv"), .id("export-csv"))),
                      .p(.text(t("pager.results", String(page.total)))),
                      DataTable(id: "registration-list", columns: columns, rows: rows, empty: t("registration.empty")).node(),
                      Pager.node(ctx, page: page.page, perPage: page.perPage, total: page.total))
    }
}

enum DegreeView {
    static func page(_ ctx: PageContext, _ model: DegreeListModel) -> Node {
        let t = ctx.t
        return .group(
            .unwrap(model.done) { .notice(t($0 == "completed" ? "degree.done.completed" : "degree.done.created"), .ok) },
            .unwrap(model.form.completion) { failed in .notice(failed.message, .error) },
            .p(.text(t("degree.explain"))),
            .nav(.class("tabs"), .joined([.link("/degree-studies", t("common.all")), .link("/degree-studies?completed=false", t("degree.open")),
                                          .link("/degree-studies?completed=true", t("degree.completed"))], separator: " · ")),
            .p(.text(t("pager.results", String(model.studies.total)))),
            table(ctx, model.studies.items, regionNames: model.regionNames, showPerson: true, completion: model.mayWrite ? model.today : nil),
            Pager.node(ctx, page: model.studies.page, perPage: model.studies.perPage, total: model.studies.total))
    }

    static func table(_ ctx: PageContext, _ items: [DegreeStudy], regionNames: [String: String], showPerson: Bool, completion: CivilDate? = nil) -> Node {
        let t = ctx.t
        var columns = ["degree.field.institution", "degree.field.level", "degree.field.mode", "degree.field.start", "degree.field.expected",
                       "degree.field.completed"].map { DataTable.Column(t($0)) }
        if showPerson { columns = [DataTable.Column(t("field.name")), DataTable.Column(t("registration.column.region"))] + columns }
        let rows = items.map { study -> [Node] in
            var cells: [Node] = [.text(study.institution), .text(DegreeLevel(rawValue: study.level).map(t.name) ?? study.level),
                                 .text(StudyMode(rawValue: study.mode).map(t.name) ?? study.mode), .text(study.startDate), .text(study.expectedCompletion)]
            if let done = study.completedOn {
                cells.append(.text(done))
            } else if let completion {
                cells.append(.form(.method("post"), .action("/degree-studies/\(ContinuingEducationPages.escaped(study.id))/completion"), .class("inline"),
                                   ctx.csrfInput,
                                   .input(.type("date"), .name("completedOn"), .value(completion.description), .ariaLabel(t("degree.field.completed"))),
                                   " ", .button(.type("submit"), .text(t("degree.complete")))))
            } else {
                cells.append(.text(t("degree.open")))
            }
            if showPerson {
                cells = [.link("/people/\(ContinuingEducationPages.escaped(study.personID))/ledger", study.personName),
                         .text(regionNames[study.regionCode] ?? "")] + cells
            }
            return cells
        }
        return DataTable(id: "degree-studies", columns: columns, rows: rows, empty: t("degree.empty")).node()
    }
}
