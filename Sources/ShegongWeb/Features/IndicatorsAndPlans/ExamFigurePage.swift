import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Entering an exam figure on a page (issue #18 §2) instead of a file or the API: a region by name
/// (the region picker), the year, the level (or all levels), registrants and passes, and where the
/// figure comes from — published, derived or estimated, with the source's words — which the
/// dashboard shows beside it. Saved through `ExamService.save` (scope, read-write, audited
/// `exam.create`, the same figure of the same year, level and region replaced).
struct ExamFigurePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "exams", "new", allow: { $0.isReadWriteOfficial }) { req, ctx in
            var fields: [String: String] = [:]
            if case .region(let subtree, _) = ctx.principal.scope { fields["region"] = subtree.code }
            return try await Self.render(ctx, fields: fields, search: nil, errors: [])
        }
        routes.page(.POST, "exams", allow: { $0.isReadWriteOfficial }) { req, ctx in
            var fields = (try? req.content.decode([String: String].self)) ?? [:]
            fields.removeValue(forKey: CSRF.field)
            let pick = try await RegionPick.read("region", value: { fields[$0] }, regions: try req.regionService)
            for key in fields.keys where key.hasPrefix("region_") { fields.removeValue(forKey: key) }
            fields["region"] = pick.code
            if pick.moveOnly { return try await Self.render(ctx, fields: fields, search: pick.search, errors: []) }
            func count(_ name: String) -> (Int?, Bool) {
                let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
                if text.isEmpty { return (nil, true) }
                guard let n = Int(text), n >= 0 else { return (nil, false) }
                return (n, true)
            }
            let (registrants, registrantsOK) = count("registrants"), (passes, passesOK) = count("passes")
            let year = Int((fields["year"] ?? "").trimmingCharacters(in: .whitespaces))
            var errors: [String] = []
            if !registrantsOK || !passesOK { errors.append(ctx.t("examForm.count_invalid")) }
            guard let code = pick.code.flatMap({ try? RegionCode.parse($0).get() }) else {
                return try await Self.render(ctx, fields: fields, search: pick.search, errors: errors + [ctx.t("examForm.region_required")],
                                        status: .unprocessableEntity)
            }
            let note = (fields["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let figure = ExamFigure(year: year ?? 0, level: (fields["level"]).flatMap(CertificateLevel.init(rawValue:)), region: code,
                                    registrants: registrants, registrantsAtLeast: fields["registrants_at_least"] != nil ? true : nil,
                                    passes: passes, provenance: fields["provenance"].flatMap(FigureProvenance.init(rawValue:)) ?? .reported,
                                    note: note.isEmpty ? nil : String(note.prefix(500)))
            errors += figure.validate().map { ctx.language == .en ? $0.english : $0.chinese }
            guard errors.isEmpty else { return try await Self.render(ctx, fields: fields, search: nil, errors: errors, status: .unprocessableEntity) }
            _ = try await req.exams.save(figure)
            return req.redirect(onSite: "/dashboard?region=\(code.value)", redirectType: .normal)
        }
    }

    static func render(_ ctx: PageContext, fields: [String: String], search: String?, errors: [String],
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        let picker = try await ctx.request.regionPicker("region", label: t("examForm.region"), selected: fields["region"], search: search, required: true)
        let levels = [(value: "", label: t("examForm.all_levels"))] + CertificateLevel.allCases.map { ($0.rawValue, t($0.catalogueKey)) }
        let origins = FigureProvenance.allCases.map { (value: $0.rawValue, label: t("dashboard.exam_source.\($0.rawValue)")) }
        let form = Node.form(.method("post"), .action("/exams"), .id("exam-form"), .class("stack"), ctx.csrfInput,
                             picker.node(ctx),
                             Field.input(t("examForm.year"), name: "year", value: fields["year"], required: true, .inputmode("numeric")),
                             Field.select(t("examForm.level"), name: "level", options: levels, selected: fields["level"] ?? ""),
                             Field.input(t("examForm.registrants"), name: "registrants", value: fields["registrants"], .inputmode("numeric")),
                             Field.checkbox(t("examForm.registrants_at_least"), name: "registrants_at_least", checked: fields["registrants_at_least"] != nil),
                             Field.input(t("examForm.passes"), name: "passes", value: fields["passes"], .inputmode("numeric")),
                             Field.select(t("examForm.provenance"), name: "provenance", options: origins, selected: fields["provenance"] ?? "reported",
                                          hint: t("examForm.provenance_hint")),
                             Field.textArea(t("examForm.note"), name: "note", value: fields["note"], rows: 2),
                             .button(.type("submit"), .text(t("action.submit"))))
        let notices = Node.forEach(errors) { .notice($0, .error) }
        return WebPage.render(ctx, title: t("examForm.title"), active: "/dashboard", content: .group(notices, form), status: status)
    }
}
