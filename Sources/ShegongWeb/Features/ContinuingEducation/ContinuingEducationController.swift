import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// Continuing education and registration as the signed-in account may use them.
    var continuingEducation: ContinuingEducationService {
        get throws { ContinuingEducationService(context: services, caller: try caller) }
    }
}

/// The continuing-education API: each handler decodes, calls `ContinuingEducationService` and encodes.
struct ContinuingEducationController: RouteCollection {
    struct Completion: Codable { var completedOn: String }
    struct FirstRegistration: Codable { var registeredOn: String? }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.personLedger) { req in
            try JSONResponse.make(try await req.continuingEducation.ledger(personID: try req.parameter("id")))
        }
        routes.on(.recognitionCreate, body: .stream) { req in
            let personID = try req.parameter("id")
            let (fields, files) = try await Self.multipart(req)
            let input = ContinuingEducationService.RecognitionInput(title: fields["title"] ?? "", hours: fields["hours"] ?? "",
                                                                   learnedOn: fields["learnedOn"] ?? "")
            return try JSONResponse.make(try await req.continuingEducation.recognise(personID: personID, input, files: files), status: .created)
        }
        routes.on(.educationEvidence) { req in try await Self.evidenceDownload(req, id: try req.parameter("id")) }
        routes.on(.degreeStudies) { req in
            let completed = req.queryString("completed").map { $0 == "true" }
            return try JSONResponse.make(try await req.continuingEducation.degrees(
                regionCode: req.queryString("region"), completed: completed,
                page: try req.queryInt("page", default: 1), perPage: try req.queryInt("perPage", default: 50)))
        }
        routes.on(.degreeStudyCreate) { req in
            let input = try req.content.decode(ContinuingEducationService.NewDegreeStudy.self)
            return try JSONResponse.make(try await req.continuingEducation.enrol(input), status: .created)
        }
        routes.on(.degreeStudyComplete) { req in
            let input = try req.content.decode(Completion.self)
            return try JSONResponse.make(try await req.continuingEducation.complete(id: try req.parameter("id"), on: input.completedOn, source: "api"))
        }
        routes.on(.registrationFirst) { req in
            let input = (try? req.content.decode(FirstRegistration.self)) ?? FirstRegistration(registeredOn: nil)
            return try JSONResponse.make(try await req.continuingEducation.registerFirst(personID: try req.parameter("id"), on: input.registeredOn),
                                         status: .created)
        }
        routes.on(.registrationRenew) { req in
            try JSONResponse.make(try await req.continuingEducation.renew(personID: try req.parameter("id")), status: .created)
        }
        routes.on(.registrationList) { req in
            try JSONResponse.make(try await req.continuingEducation.list(
                try Self.listKind(req), regionCode: req.queryString("region"), organizationID: req.queryString("organization"),
                page: try req.queryInt("page", default: 1), perPage: try req.queryInt("perPage", default: 50)))
        }
        routes.on(.registrationExport) { req in try await Self.export(req) }
    }

    static func listKind(_ req: Request) throws -> RegistrationListKind {
        RegistrationListKind(rawValue: req.queryString("list") ?? "due") ?? .due
    }

    /// The multipart body of a recognition: its text fields and `evidence` files, read within the upload limit.
    static func multipart(_ req: Request) async throws -> (fields: [String: String], files: [EvidenceUpload]) {
        guard let submission = try await ReportSubmission.multipart(req) else {
            throw APIError(status: .unsupportedMediaType, code: "request.unsupported_media_type", message: "请以 multipart/form-data 提交")
        }
        return (submission.fields, submission.files)
    }

    static func evidenceDownload(_ req: Request, id: String) async throws -> Response {
        let evidence = try await req.continuingEducation.evidence(id: id)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: evidence.file.contentType)
        let ext = evidence.file.fileName.split(separator: ".").last.map { "." + $0.lowercased() } ?? ""
        headers.replaceOrAdd(name: .contentDisposition, value: Attachment.disposition(fileName: evidence.file.fileName, fallback: "evidence" + ext))
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: evidence.content))
    }

    /// The list as XLSX or CSV in the request's language, written by the shared report writers.
    static func export(_ req: Request) async throws -> Response {
        let format = try CensusController.sheetFormat(req)
        let kind = try listKind(req)
        let table = try await req.continuingEducation.export(kind, regionCode: req.queryString("region"),
                                                             organizationID: req.queryString("organization"), language: req.language, format: format)
        let url = CensusController.tempFile(req, format)
        switch format {
        case .csv: try table.writeCSV(to: url)
        case .xlsx: try table.writeXLSX(to: url)
        }
        return try await CensusController.download(req, url: url, fileName: table.fileName(format, asOf: .today()), format: format)
    }
}
