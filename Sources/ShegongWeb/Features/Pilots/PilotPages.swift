import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The pilots' pages: the list, a pilot with its social workers, volunteers and hours, teams,
/// activities and cases (forms for those who may edit), and a case with its timeline and the
/// steps the caller may take. Every form posts to the same service as the API.
struct PilotPages: RouteCollection {
    static func allowed(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "pilots", allow: Self.allowed) { req, ctx in
            let pilots = try await req.pilotService.list()
            let names = try await RegionService(context: req.services, caller: try req.caller).names(of: pilots.map(\.regionCode))
            return WebPage.render(ctx, title: ctx.t("pilots.title"), active: "/pilots", content: PilotViews.list(ctx, pilots, names: names), wide: true)
        }
        routes.page(.GET, "pilots", ":id", allow: Self.allowed) { req, ctx in
            try await Self.detail(req, ctx, id: try req.parameter("id"))
        }
        routes.page(.GET, "pilots", ":id", "hours", allow: Self.allowed) { req, ctx in
            let format = SpreadsheetFormat(rawValue: req.queryValue("format") ?? "") ?? .xlsx
            let (pilot, volunteers) = try await req.pilotService.exportHours(try req.parameter("id"), format: format.rawValue)
            return try PilotHoursFile.response(pilot: pilot, volunteers: volunteers, format: format, language: ctx.language)
        }
        routes.page(.GET, "pilots", "evidence", ":id", allow: Self.allowed) { req, _ in
            PilotHoursFile.download(try await req.pilotService.evidence(try req.parameter("id")))
        }
        routes.page(.POST, "pilots", ":id", "details", allow: Self.allowed) { req, ctx in
            try await Self.change(req, ctx) { service, id in
                try await service.updateDetails(id, PilotInput.Details(periodStart: Self.field(req, "periodStart"), periodEnd: Self.field(req, "periodEnd"),
                                                                       leadOrganizationID: Self.field(req, "leadOrganizationID")))
            }
        }
        routes.page(.POST, "pilots", ":id", "members", allow: Self.allowed) { req, ctx in
            try await Self.change(req, ctx) { service, id in
                try await service.addMember(id, PilotInput.Member(personID: Self.field(req, "personID") ?? ""))
            }
        }
        routes.page(.POST, "pilots", ":id", "volunteers", allow: Self.allowed) { req, ctx in
            try await Self.change(req, ctx) { service, id in
                _ = try await service.addVolunteer(id, PilotInput.Volunteer(name: Self.field(req, "name") ?? "", mobile: Self.field(req, "mobile") ?? "",
                                                                            skills: Self.field(req, "skills"), idNumber: Self.field(req, "idNumber")))
            }
        }
        routes.page(.POST, "pilots", ":id", "teams", allow: Self.allowed) { req, ctx in
            let volunteers = (try? req.content.get([String].self, at: "volunteerIDs")) ?? Self.field(req, "volunteerIDs").map { [$0] } ?? []
            return try await Self.change(req, ctx) { service, id in
                _ = try await service.addTeam(id, PilotInput.Team(name: Self.field(req, "name") ?? "", leaderPersonID: Self.field(req, "leaderPersonID") ?? "",
                                                                  volunteerIDs: volunteers))
            }
        }
        routes.page(.POST, "pilots", ":id", "activities", allow: Self.allowed) { req, ctx in
            let form = (try? req.content.decode([String: String].self)) ?? [:]
            // One hours field per volunteer, `hours-<id>`; left blank, the volunteer did not take part.
            let participants = form.compactMap { key, value -> PilotInput.Activity.Participant? in
                guard key.hasPrefix("hours-"), !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                return PilotInput.Activity.Participant(volunteerID: String(key.dropFirst(6)), hours: Double(value.trimmingCharacters(in: .whitespaces)) ?? .nan)
            }.sorted { $0.volunteerID < $1.volunteerID }
            let input = PilotInput.Activity(title: form["title"] ?? "", kind: form["kind"] ?? "", date: form["date"] ?? "",
                                            startTime: form["startTime"] ?? "", endTime: form["endTime"], teamID: form["teamID"],
                                            beneficiaries: Int(form["beneficiaries"] ?? "") ?? -1, participants: participants)
            return try await Self.change(req, ctx, done: "activity") { service, id in _ = try await service.recordActivity(id, input) }
        }
        // Multipart with evidence files, read from the stream within a limit (as the plan page's
        // reports): the CSRF token comes in the query.
        routes.page(.POST, "pilots", ":id", "cases", body: .stream, allow: Self.allowed) { req, ctx in
            let id = try req.parameter("id")
            do {
                guard let type = req.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"] else {
                    throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.pilot_case"))
                }
                let submission = try await ReportSubmission.multipart(req.body, boundary: boundary, limit: ReportSubmission.limit(req),
                                                                      tempFiles: req.application.shegong.tempFiles)
                let caseID = try await req.pilotService.createCase(id, PilotInput.Case(title: submission.fields["title"] ?? "",
                                                                                     narrative: submission.fields["narrative"] ?? ""),
                                                                   files: submission.files)
                return req.redirect(onSite: "/pilots/cases/\(Self.escape(caseID))", redirectType: .normal)
            } catch let error as StoreError where error.kind != .notFound {
                return try await Self.detail(req, ctx, id: id, errors: Self.messages(error, ctx), status: .unprocessableEntity)
            } catch let error as APIError where error.status == .payloadTooLarge {
                return try await Self.detail(req, ctx, id: id, errors: [ctx.t("evidence.too_large", String(ReportSubmission.limit(req) >> 20))],
                                             status: .payloadTooLarge)
            }
        }
        routes.page(.GET, "pilots", "cases", ":id", allow: Self.allowed) { req, ctx in
            try await Self.casePage(req, ctx, id: try req.parameter("id"))
        }
        routes.page(.POST, "pilots", "cases", ":id", "steps", allow: Self.allowed) { req, ctx in
            let id = try req.parameter("id")
            let input = PilotInput.Step(action: Self.field(req, "action") ?? "", reason: Self.field(req, "reason"))
            do {
                _ = try await req.pilotService.move(id, input)
            } catch let error as StoreError where error.kind != .notFound {
                return try await Self.casePage(req, ctx, id: id, errors: Self.messages(error, ctx), status: .unprocessableEntity)
            }
            return req.redirect(onSite: "/pilots/cases/\(Self.escape(id))?moved=\(Self.escape(input.action))", redirectType: .normal)
        }
    }

    static func field(_ req: Request, _ name: String) -> String? {
        (try? req.content.get(String.self, at: name)).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// A path segment or query value: record ids (UUID text) and step names stay as they are.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? ""
    }

    /// Every message of a refused write, in the page's language: the error's, then each field's.
    static func messages(_ error: StoreError, _ ctx: PageContext) -> [String] {
        [error.message(ctx.language)] + error.details.map { $0.message(ctx.language) }
    }

    /// A form's change: the pilot page again with every problem (nothing written), or back to it.
    static func change(_ req: Request, _ ctx: PageContext, done: String = "saved",
                       _ body: (PilotService, String) async throws -> Void) async throws -> Response {
        let id = try req.parameter("id")
        do {
            try await body(try req.pilotService, id)
        } catch let error as StoreError where error.kind != .notFound {
            return try await detail(req, ctx, id: id, errors: messages(error, ctx), status: .unprocessableEntity)
        }
        return req.redirect(onSite: "/pilots/\(escape(id))?done=\(done)", redirectType: .normal)
    }

    static func detail(_ req: Request, _ ctx: PageContext, id: String, errors: [String] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let service = try req.pilotService
        let (detail, rights) = try await service.detail(id)
        let regionNames = try await RegionService(context: req.services, caller: try req.caller).names(of: [detail.pilot.regionCode])
        let candidates = rights.edit ? try await service.candidates(id) : []
        let organizations = rights.edit ? try await OrganizationService(context: req.services, caller: try req.caller).choices().items
            .map { ($0.id, $0.name) } : []
        let model = PilotPageModel(detail: detail, rights: rights, regionName: regionNames[detail.pilot.regionCode] ?? "",
                                   candidates: candidates, organizations: organizations, errors: errors,
                                   done: req.queryValue("done"), today: req.services.today.description)
        return WebPage.render(ctx, title: detail.pilot.name, active: "/pilots", content: PilotViews.detail(ctx, model), status: status, wide: true)
    }

    static func casePage(_ req: Request, _ ctx: PageContext, id: String, errors: [String] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let (found, rights) = try await req.pilotService.practiceCase(id)
        let pilot = try await req.pilotService.detail(found.pilotID).detail.pilot
        return WebPage.render(ctx, title: found.title, active: "/pilots",
                              content: PilotViews.casePage(ctx, found, pilot: pilot, rights: rights, errors: errors,
                                                           moved: req.queryValue("moved")), status: status)
    }
}

/// What the pilot page shows.
struct PilotPageModel {
    var detail: PilotDetail
    var rights: PilotService.Rights
    var regionName: String
    var candidates: [(id: String, label: String)]
    var organizations: [(String, String)]
    var errors: [String]
    var done: String?
    var today: String
}
