import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The printable 人员信息表 (issue #18 §3): one person on one A4 sheet, as offices file it with
/// the holder's and the employer's signatures. Identifiers stay masked — a printout leaves the
/// system — and the page is the person page's model (loaded and scoped by `PersonService`),
/// rendered without the navigation.
struct PersonPrintPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "people", ":id", "print", allow: PeoplePages.mayRead) { req, ctx in
            let model = try await PersonPageModel.load(req, ctx, id: try req.parameter("id"), reveal: false)
            let title = ctx.t("print.person.title")
            return WebPage.document(language: ctx.language, title: title, body: PersonPrintView.sheet(ctx, model, title: title))
        }
    }
}

enum PersonPrintView {
    static func sheet(_ ctx: PageContext, _ model: PersonPageModel, title: String) -> Node {
        let t = ctx.t
        return .main(.id("content"), .class("print-form"),
                     .p(.class("no-print"), .link("/people/\(model.detail.person.id)", t("print.back"))),
                     .h1(.text(title)),
                     .p(.class("form-meta"), .text(t("print.printed_on", BeijingTime.minute(Date())))),
                     facts(ctx, model),
                     .h2(.text(t("people.certificates"))), PersonView.certificates(ctx, model.detail.certificates),
                     .h2(.text(t("people.employment"))), PersonView.employment(ctx, model.detail.employments),
                     signatures(ctx),
                     .p(.class("form-note"), .text(t("print.personal_data_note"))))
    }

    /// Two facts a row, label beside value, as the paper forms lay them out.
    static func facts(_ ctx: PageContext, _ model: PersonPageModel) -> Node {
        let t = ctx.t, p = model.detail.person
        let education = p.education.map { EducationLevel(rawValue: $0).map(t.name) ?? $0 } ?? ""
        let degree = p.socialWorkDegree.map { t($0 ? "common.yes" : "common.no") } ?? ""
        let pairs: [(String, String)] = [
            ("field.name", p.name), ("field.sex", RegistryNames.sex(p.sex, t)),
            ("field.residentID", p.idNumber), ("field.birthDate", p.birthDate),
            ("field.mobile", p.mobile ?? ""), ("field.region", RegistryNames.region(p.regionCode, model.regionNames, t)),
            ("field.employerName", p.organizationName ?? ""), ("field.postCategory", RegistryNames.postCategory(p.postCategory, t)),
            ("field.education", education), ("field.socialWorkDegree", degree),
            ("field.serviceFields", RegistryNames.serviceFields(p.serviceFields, t)), ("field.certificateLevel", RegistryNames.level(p.certificateLevel, t)),
        ]
        let rows = stride(from: 0, to: pairs.count, by: 2).map { i -> Node in
            let pair = pairs[i..<min(i + 2, pairs.count)]
            return .tr(.forEach(Array(pair)) { key, value in .group(.th(.attribute("scope", "row"), .text(t(key))), .td(.text(value))) })
        }
        return .table(.class("form-grid"), .id("person-facts"), .tbody(.group(rows)))
    }

    /// The boxes the holder, the employer and the reviewing office sign on paper.
    static func signatures(_ ctx: PageContext) -> Node {
        let t = ctx.t
        let boxes = ["print.sign.holder", "print.sign.employer", "print.sign.office"]
        return .table(.class("form-signatures"), .id("signatures"),
                      .tbody(.tr(.forEach(boxes) { key in
                          .td(.p(.text(t(key))), .p(.class("sign-line"), .text(t("print.sign.date"))))
                      })))
    }
}
