import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore

/// The pilots' views: they only render their model.
enum PilotViews {
    static func tierName(_ ctx: PageContext, _ raw: String) -> String { ctx.t.name(PilotTier(rawValue: raw) ?? .unspecified) }

    static func stateName(_ ctx: PageContext, _ raw: String) -> String {
        PracticeCaseState(rawValue: raw).map { ctx.t.name($0) } ?? raw
    }

    static func period(_ ctx: PageContext, _ pilot: PilotSummary) -> String {
        guard pilot.periodStart != nil || pilot.periodEnd != nil else { return "—" }
        return "\(pilot.periodStart ?? "…") – \(pilot.periodEnd ?? "…")"
    }

    static func list(_ ctx: PageContext, _ pilots: [PilotSummary], names: [String: String]) -> Node {
        .group(.p(.class("muted"), .text(ctx.t("pilots.who_may"))),
               DataTable(id: "pilots",
                         columns: [.init(ctx.t("pilots.name")), .init(ctx.t("pilots.region")), .init(ctx.t("pilots.tier")),
                                   .init(ctx.t("pilots.lead")), .init(ctx.t("pilots.volunteer_count"), numeric: true),
                                   .init(ctx.t("pilots.case_count"), numeric: true), .init(ctx.t("pilots.good_cases"), numeric: true)],
                         rows: pilots.map { p in
                             [.link("/pilots/\(p.id)", p.name), .text(names[p.regionCode] ?? ""), .text(tierName(ctx, p.tier)),
                              .text(p.leadOrganizationName ?? ctx.t("pilots.lead_none")), .text(String(p.volunteers)), .text(String(p.cases)),
                              .text(String(p.goodPracticeCases))]
                         },
                         empty: ctx.t("pilots.empty")).node())
    }

    static func detail(_ ctx: PageContext, _ model: PilotPageModel) -> Node {
        let d = model.detail, p = d.pilot, t = ctx.t, base = "/pilots/\(p.id)"
        let volunteerNames = Dictionary(d.volunteers.map { ($0.id, $0.name) }) { a, _ in a }
        let teamNames = Dictionary(d.teams.map { ($0.id, $0.name) }) { a, _ in a }
        return .group(
            .if(!model.errors.isEmpty, .div(.class("alert", "error"), .role("alert"), .ul(.forEach(model.errors) { .li(.text($0)) }))),
            .unwrap(model.done) { done in .notice(t(done == "activity" ? "pilots.activity_recorded" : "pilots.saved"), .ok) },
            .dl(.class("facts"),
                .dt(.text(t("pilots.region"))), .dd(.text(model.regionName)),
                .dt(.text(t("pilots.tier"))), .dd(.text(tierName(ctx, p.tier))),
                .dt(.text(t("pilots.period"))), .dd(.text(period(ctx, p))),
                .dt(.text(t("pilots.lead"))), .dd(.text(p.leadOrganizationName ?? t("pilots.lead_none"))),
                .dt(.text(t("pilots.good_cases"))), .dd(.id("good-cases"), .text(String(p.goodPracticeCases)))),
            .unwrap(p.legacyGoodPracticeCases) { .p(.class("muted"), .text(t("pilots.legacy_cases", String($0)))) },
            .p(.class("muted"), .text(t("pilots.who_may"))),
            .if(model.rights.edit, .details(.summary(.text(t("pilots.details"))),
                .form(.method("post"), .action(base + "/details"), .class("stack"), ctx.csrfInput,
                      Field.input(t("pilots.period_start"), name: "periodStart", value: p.periodStart, type: "date"),
                      Field.input(t("pilots.period_end"), name: "periodEnd", value: p.periodEnd, type: "date"),
                      Field.select(t("pilots.lead"), name: "leadOrganizationID",
                                   options: [("", t("pilots.lead_none"))] + model.organizations.map { (value: $0.0, label: $0.1) },
                                   selected: p.leadOrganizationID ?? ""),
                      .button(.type("submit"), .text(t("pilots.save_details")))))),

            .h2(.text(t("pilots.members"))),
            DataTable(id: "members", columns: [.init(t("pilots.member_person"))], rows: d.members.map { [.text($0.name)] },
                      empty: t("pilots.members_empty")).node(),
            .if(model.rights.edit && !model.candidates.isEmpty,
                .form(.method("post"), .action(base + "/members"), .class("stack"), ctx.csrfInput,
                      Field.select(t("pilots.member_person"), name: "personID", options: model.candidates.map { (value: $0.id, label: $0.label) },
                                   selected: nil),
                      .button(.type("submit"), .text(t("pilots.add_member"))))),

            .h2(.text(t("pilots.volunteers"))),
            DataTable(id: "volunteers",
                      columns: [.init(t("pilots.volunteer_name")), .init(t("pilots.volunteer_mobile")), .init(t("pilots.volunteer_id")),
                                .init(t("pilots.volunteer_skills")), .init(t("pilots.volunteer_activities"), numeric: true),
                                .init(t("pilots.volunteer_hours"), numeric: true)],
                      rows: d.volunteers.map { v in
                          [.text(v.name), .text(v.mobile ?? ""), .text(v.idNumber ?? ""), .text(v.skills ?? ""), .text(String(v.activities)),
                           .text(ActivityHours.text(minutes: v.minutes))]
                      },
                      empty: t("pilots.volunteers_empty")).node(),
            .p(.class("exports"), .link(base + "/hours?format=xlsx", t("pilots.export_hours_xlsx"), .download()), .text(" · "),
               .link(base + "/hours?format=csv", t("pilots.export_hours_csv"), .download())),
            .if(model.rights.edit, .details(.summary(.text(t("pilots.add_volunteer"))),
                .form(.method("post"), .action(base + "/volunteers"), .class("stack"), ctx.csrfInput,
                      Field.input(t("pilots.volunteer_name"), name: "name", required: true),
                      Field.input(t("pilots.volunteer_mobile"), name: "mobile", required: true, autocomplete: "off", id: "f-volunteer-mobile"),
                      Field.input(t("pilots.volunteer_id"), name: "idNumber", autocomplete: "off"),
                      Field.input(t("pilots.volunteer_skills"), name: "skills"),
                      .button(.type("submit"), .text(t("pilots.add_volunteer")))))),

            .h2(.text(t("pilots.teams"))),
            DataTable(id: "teams", columns: [.init(t("pilots.team_name")), .init(t("pilots.team_leader")), .init(t("pilots.team_volunteers"))],
                      rows: d.teams.map { team in
                          [.text(team.name), .text(team.leaderName),
                           .text(team.volunteerIDs.compactMap { volunteerNames[$0] }.joined(separator: t("form.message_separator")))]
                      },
                      empty: t("pilots.teams_empty")).node(),
            .if(model.rights.edit && !d.members.isEmpty, .details(.summary(.text(t("pilots.add_team"))),
                .form(.method("post"), .action(base + "/teams"), .class("stack"), ctx.csrfInput,
                      Field.input(t("pilots.team_name"), name: "name", required: true, id: "f-team-name"),
                      Field.select(t("pilots.team_leader"), name: "leaderPersonID", options: d.members.map { (value: $0.personID, label: $0.name) },
                                   selected: nil),
                      .fieldset(.legend(.text(t("pilots.team_volunteers"))),
                                .forEach(d.volunteers) { v in
                                    Field.checkbox(v.name, name: "volunteerIDs[]", value: v.id, checked: false, id: "f-team-\(v.id)")
                                }),
                      .button(.type("submit"), .text(t("pilots.add_team")))))),

            .h2(.text(t("pilots.activities"))),
            DataTable(id: "activities",
                      columns: [.init(t("pilots.activity_date")), .init(t("pilots.activity_time")), .init(t("pilots.activity_title")),
                                .init(t("pilots.activity_kind")), .init(t("pilots.activity_team")),
                                .init(t("pilots.activity_participants")), .init(t("pilots.activity_beneficiaries"), numeric: true)],
                      rows: d.activities.map { a in
                          [.text(a.date), .text("\(a.startTime)–\(a.endTime)"), .text(a.title),
                           .text(PilotActivityKind(rawValue: a.kind).map { t.name($0) } ?? a.kind),
                           .text(a.teamID.flatMap { teamNames[$0] } ?? ""),
                           .text(a.participants.map { "\($0.name) \(ActivityHours.text(minutes: $0.minutes))" }.joined(separator: t("form.message_separator"))),
                           .text(String(a.beneficiaries))]
                      },
                      empty: t("pilots.activities_empty")).node(),
            .if(model.rights.edit && !d.volunteers.isEmpty, .details(.summary(.text(t("pilots.record_activity"))),
                .form(.method("post"), .action(base + "/activities"), .class("stack"), .id("activity-form"), ctx.csrfInput,
                      Field.input(t("pilots.activity_title"), name: "title", required: true, id: "f-activity-title"),
                      Field.select(t("pilots.activity_kind"), name: "kind",
                                   options: PilotActivityKind.allCases.map { (value: $0.rawValue, label: t.name($0)) }, selected: nil),
                      Field.input(t("pilots.activity_date"), name: "date", value: model.today, type: "date", required: true),
                      Field.input(t("pilots.activity_start"), name: "startTime", type: "time", required: true),
                      Field.input(t("pilots.activity_end"), name: "endTime", type: "time", required: true),
                      Field.select(t("pilots.activity_team"), name: "teamID",
                                   options: [("", t("pilots.activity_no_team"))] + d.teams.map { (value: $0.id, label: $0.name) }, selected: ""),
                      Field.input(t("pilots.activity_beneficiaries"), name: "beneficiaries", value: "0", type: "number", required: true,
                                  .attribute("min", "0")),
                      .fieldset(.legend(.text(t("pilots.activity_participants"))),
                                .forEach(d.volunteers) { v in
                                    Field.input(t("pilots.activity_hours_of", v.name), name: "hours-\(v.id)", type: "number", id: "f-hours-\(v.id)",
                                                .attribute("step", "0.5"), .attribute("min", "0"))
                                }),
                      .button(.type("submit"), .text(t("pilots.record_activity")))))),

            .h2(.text(t("pilots.cases"))),
            DataTable(id: "cases", columns: [.init(t("pilots.case_title")), .init(t("pilots.case_state")), .init(t("pilots.case_files"), numeric: true)],
                      rows: d.cases.map { c in [.link("/pilots/cases/\(c.id)", c.title), .text(stateName(ctx, c.state)), .text(String(c.files.count))] },
                      empty: t("pilots.cases_empty")).node(),
            .if(model.rights.edit, .details(.summary(.text(t("pilots.add_case"))),
                .form(.method("post"), .action(base + "/cases?_csrf=" + (ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                      .enctype("multipart/form-data"), .class("stack"),
                      Field.input(t("pilots.case_title"), name: "title", required: true, id: "f-case-title"),
                      Field.textArea(t("pilots.case_narrative"), name: "narrative", rows: 6, required: true),
                      Field.input(t("pilots.case_files"), name: "evidence", type: "file",
                                  hint: t("evidence.hint", String(EvidenceRules.maxFileBytes >> 20), String(EvidenceRules.maxFiles)),
                                  .multiple(), .accept(EvidenceRules.acceptList)),
                      .button(.type("submit"), .text(t("pilots.add_case")))))))
    }

    /// The steps the caller may take from the case's state.
    static func actions(_ state: PracticeCaseState, _ rights: PilotService.Rights) -> [PracticeCaseAction] {
        PracticeCaseAction.allCases.filter { $0.sources.contains(state) && ($0.byReviewer ? rights.review : rights.edit) }
    }

    static func casePage(_ ctx: PageContext, _ c: PilotCase, pilot: PilotSummary, rights: PilotService.Rights, errors: [String], moved: String?) -> Node {
        let t = ctx.t
        let state = PracticeCaseState(rawValue: c.state) ?? .draft
        let allowed = actions(state, rights)
        return .group(
            .if(!errors.isEmpty, .div(.class("alert", "error"), .role("alert"), .ul(.forEach(errors) { .li(.text($0)) }))),
            .unwrap(moved.flatMap(PracticeCaseAction.init(rawValue:))) { .notice(t("pilots.case_moved", t.name($0)), .ok) },
            .p(.link("/pilots/\(pilot.id)", pilot.name)),
            .dl(.class("facts"), .dt(.text(t("pilots.case_state"))), .dd(.id("case-state"), .text(stateName(ctx, c.state)))),
            .h2(.text(t("pilots.case_narrative"))),
            .p(.class("narrative"), .text(c.narrative)),
            .h2(.text(t("pilots.case_files"))),
            .if(c.files.isEmpty, .p(.class("muted"), .text(t("evidence.no_file")))),
            .ul(.forEach(c.files) { f in .li(.link("/pilots/evidence/\(f.id)", t("evidence.download", f.fileName), .download())) }),
            .h2(.text(t("pilots.case_timeline"))),
            DataTable(id: "timeline",
                      columns: [.init(t("pilots.case_step_at")), .init(t("pilots.case_step_action")), .init(t("pilots.case_state")),
                                .init(t("pilots.case_step_reviewer")), .init(t("pilots.case_step_reason"))],
                      rows: c.steps.map { s in
                          [.text(BeijingTime.minute(iso: s.at)), .text(t("pilot.case.action.\(s.action)")), .text(stateName(ctx, s.to)),
                           .text(s.reviewer), .text(s.reason ?? "")]
                      }).node(),
            .if(!allowed.isEmpty,
                .form(.method("post"), .action("/pilots/cases/\(c.id)/steps"), .class("stack"), .id("step-form"), ctx.csrfInput,
                      Field.select(t("pilots.case_step_action"), name: "action", options: allowed.map { (value: $0.rawValue, label: t.name($0)) },
                                   selected: nil),
                      Field.textArea(t("pilots.case_reason"), name: "reason", rows: 3),
                      .button(.type("submit"), .text(t("pilots.case_step_action"))))))
    }
}
