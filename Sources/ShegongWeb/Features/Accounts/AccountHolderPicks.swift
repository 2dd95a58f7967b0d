import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The organisation and the person an account acts for, chosen by name on the account forms (the
/// system administrator's new account, the security administrator's grant): a search by name —
/// an organisation by words of its name or its credit code, a person by the first characters of
/// the name or the ID number — sent back by the "find" button (`holder_go`) like the region
/// picker's, and a list of the matches by name (the organisation's region and credit code, the
/// person's masked ID number and region beside it). The form posts the chosen record's id.
struct AccountHolderPicks {
    var organizations: [(value: String, label: String)] = []
    var people: [(value: String, label: String)] = []
    /// The chosen ids: the form's, else the one match of its search.
    var organization = ""
    var person = ""

    /// The choices for `form` (its searches and its current values), from `AccountService`.
    static func load(_ ctx: PageContext, _ form: GrantForm) async throws -> AccountHolderPicks {
        let service = try ctx.request.accountService
        let organizations = try await service.organizationChoices(search: form.organizationSearch, selected: form.organization)
        let people = try await service.personChoices(search: form.personSearch, selected: form.person)
        return AccountHolderPicks(organizations: organizations.map { ($0.id, label($0, ctx)) }, people: people.map { ($0.id, label($0, ctx)) },
                                  organization: form.organization.isEmpty && organizations.count == 1 ? organizations[0].id : form.organization,
                                  person: form.person.isEmpty && people.count == 1 ? people[0].id : form.person)
    }

    static func label(_ choice: AccountHolderChoice, _ ctx: PageContext) -> String {
        let details = [choice.regionName, choice.detail].compactMap { $0 }.filter { !$0.isEmpty }
        return details.isEmpty ? choice.name : ctx.t("accountPicks.option", choice.name, details.joined(separator: " · "))
    }

    /// The two searches and their lists, and the one "find" button.
    func node(_ ctx: PageContext, _ form: GrantForm, errors: [String: String]) -> Node {
        let t = ctx.t
        func list(_ name: String, _ options: [(value: String, label: String)], search: String?, hint: String) -> Node {
            let empty = (search ?? "").isEmpty ? t("accountPicks.search_first") : options.isEmpty ? t("accountPicks.no_match", search ?? "")
                : t("accountPicks.choose")
            return Field.select(t("admin.\(name)"), name: name, options: [(value: "", label: empty)] + options,
                                selected: name == "organization" ? organization : person, error: errors[name], hint: hint)
        }
        return .fieldset(.class("field", "account-holder"), .id("account-holder"),
                         .legend(.text(t("accountPicks.legend"))),
                         Field.input(t("accountPicks.organization_search"), name: "organization_q", value: form.organizationSearch ?? "",
                                     type: "search", hint: t("accountPicks.organization_hint")),
                         list("organization", organizations, search: form.organizationSearch, hint: t("role.organization_manager")),
                         Field.input(t("accountPicks.person_search"), name: "person_q", value: form.personSearch ?? "", type: "search",
                                     hint: t("accountPicks.person_hint")),
                         list("person", people, search: form.personSearch, hint: t("role.social_worker")),
                         .button(.type("submit"), .name("holder_go"), .value("1"), .class("secondary"), .attribute("formnovalidate", nil),
                                 .text(t("accountPicks.find"))))
    }
}

extension GrantForm {
    /// The searches of the holder fields; only the search was asked (`holder_go`, or Enter in a
    /// search while the role's holder is not chosen yet): the form comes back with the matches, and
    /// a search with one match chooses it.
    mutating func readHolderSearch(_ req: Request) {
        func value(_ name: String) -> String? {
            let text = ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        organizationSearch = value("organization_q")
        personSearch = value("person_q")
        let chosen = Role(text: role)
        if value("holder_go") != nil
            || (chosen == .organizationManager && organization.isEmpty && organizationSearch != nil)
            || (chosen == .socialWorker && person.isEmpty && personSearch != nil) {
            pickerOnly = true
        }
    }
}
