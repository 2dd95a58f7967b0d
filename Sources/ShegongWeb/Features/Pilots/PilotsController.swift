import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The pilots' use cases as the signed-in account may take them.
    var pilotService: PilotService {
        get throws { PilotService(context: services, caller: try caller) }
    }
}

/// The fusion pilots' API: each handler decodes, calls `PilotService`, encodes.
struct PilotsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.pilots) { req in try JSONResponse.make(try await req.pilotService.list()) }
        routes.on(.pilot) { req in try JSONResponse.make(try await req.pilotService.detail(try req.parameter("id")).detail) }
        routes.on(.pilotUpdate) { req in
            let id = try req.parameter("id")
            try await req.pilotService.updateDetails(id, try req.content.decode(PilotInput.Details.self))
            return try JSONResponse.make(try await req.pilotService.detail(id).detail.pilot)
        }
        routes.on(.pilotMemberAdd) { req in
            let id = try req.parameter("id")
            try await req.pilotService.addMember(id, try req.content.decode(PilotInput.Member.self))
            return try JSONResponse.make(try await req.pilotService.detail(id).detail.members, status: .created)
        }
        routes.on(.pilotVolunteerAdd) { req in
            let volunteer = try await req.pilotService.addVolunteer(try req.parameter("id"), try req.content.decode(PilotInput.Volunteer.self))
            return try JSONResponse.make(volunteer, status: .created)
        }
        routes.on(.pilotTeamCreate) { req in
            let id = try await req.pilotService.addTeam(try req.parameter("id"), try req.content.decode(PilotInput.Team.self))
            return try JSONResponse.make(["id": id], status: .created)
        }
        routes.on(.pilotActivityCreate) { req in
            let id = try await req.pilotService.recordActivity(try req.parameter("id"), try req.content.decode(PilotInput.Activity.self))
            return try JSONResponse.make(["id": id], status: .created)
        }
        routes.on(.pilotVolunteerHours) { req in
            let format = req.queryValue("format").flatMap { $0.isEmpty ? nil : $0 } ?? "json"
            let (pilot, volunteers) = try await req.pilotService.exportHours(try req.parameter("id"), format: format)
            guard let file = SpreadsheetFormat(rawValue: format) else { return try JSONResponse.make(volunteers) }
            return try PilotHoursFile.response(pilot: pilot, volunteers: volunteers, format: file, language: .zhHans)
        }
        routes.on(.pilotCaseCreate) { req in
            let id = try await req.pilotService.createCase(try req.parameter("id"), try req.content.decode(PilotInput.Case.self))
            return try JSONResponse.make(["id": id], status: .created)
        }
        routes.on(.pilotCase) { req in try JSONResponse.make(try await req.pilotService.practiceCase(try req.parameter("id")).practiceCase) }
        routes.on(.pilotCaseUpdate) { req in
            let id = try req.parameter("id")
            try await req.pilotService.updateCase(id, try req.content.decode(PilotInput.Case.self))
            return try JSONResponse.make(try await req.pilotService.practiceCase(id).practiceCase)
        }
        routes.on(.pilotCaseStep) { req in
            try JSONResponse.make(try await req.pilotService.move(try req.parameter("id"), try req.content.decode(PilotInput.Step.self)))
        }
        routes.on(.pilotCaseEvidenceAdd, body: .stream) { req in
            let id = try req.parameter("id")
            let (_, files) = try await ContinuingEducationController.multipart(req)
            return try JSONResponse.make(try await req.pilotService.addEvidence(id, files: files), status: .created)
        }
        routes.on(.pilotEvidence) { req in try PilotHoursFile.download(try await req.pilotService.evidence(try req.parameter("id"))) }
    }
}

/// The volunteer-hours file (CSV or XLSX through the report table writers) and evidence downloads.
enum PilotHoursFile {
    static func table(pilot: PilotSummary, volunteers: [PilotVolunteer], language: Language) -> ReportTable {
        let t = Catalogue.standard.texts(language)
        return ReportTable(title: t("pilots.hours_sheet", pilot.name),
                           columns: [t("pilots.volunteer_name"), t("pilots.volunteer_mobile"), t("pilots.volunteer_skills"),
                                     t("pilots.volunteer_activities"), t("pilots.volunteer_hours")],
                           rows: volunteers.map { v in
                               [.text(v.name), .text(v.mobile ?? ""), .text(v.skills ?? ""), .value(v.activities),
                                .number(Double(v.minutes) / 60, raw: ActivityHours.text(minutes: v.minutes))]
                           })
    }

    static func response(pilot: PilotSummary, volunteers: [PilotVolunteer], format: SpreadsheetFormat, language: Language) throws -> Response {
        let table = table(pilot: pilot, volunteers: volunteers, language: language)
        var headers = HTTPHeaders()
        headers.contentType = format == .csv
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition,
                             value: Attachment.disposition(fileName: table.fileName(format), fallback: "volunteer-hours.\(format.rawValue)"))
        return Response(status: .ok, headers: headers, body: .init(data: try table.data(format)))
    }

    static func download(_ evidence: StoredCaseEvidence) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: evidence.file.contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: Attachment.disposition(fileName: evidence.file.fileName, fallback: "evidence"))
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: evidence.content))
    }
}
