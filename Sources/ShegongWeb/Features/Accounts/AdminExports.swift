import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The accounts as the signed-in administrator may list them (`AccountService`).
    var accountService: AccountService {
        get throws { AccountService(context: services, caller: try caller) }
    }

    /// The audit log as the signed-in audit administrator may read it (`AuditService`).
    var auditService: AuditService {
        get throws { AuditService(context: services, caller: try caller) }
    }
}

/// The administrators' exports (issue #18 §1): the API endpoints and the pages' export links
/// (`/admin/users?format=…`, `/admin/audit?…&format=…`) reach the same service methods.
struct AdminExportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.accountsExport) { req in try await Self.accounts(req) }
        routes.on(.auditExport) { req in
            let (query, errors) = AuditPage.query(req)
            if let error = errors.first { throw APIError.badRequest("request.query", error.value, field: error.key) }
            return try await Self.audit(req, query)
        }
    }

    /// Every account as a file in the request's language.
    static func accounts(_ req: Request) async throws -> Response {
        let format = try CensusController.sheetFormat(req)
        return try await req.download(try await req.accountService.export(format: format, language: req.language), format: format)
    }

    /// Every entry of the audit search `query`, streamed to a file in the request's language.
    static func audit(_ req: Request, _ query: AuditQuery) async throws -> Response {
        let format = try CensusController.sheetFormat(req)
        let filters = AuditPage.filterNames.compactMap { name in req.queryString(name).map { "\(name)=\(String($0.prefix(100)))" } }
        let url = CensusController.tempFile(req, format)
        let written: AuditService.Written
        do {
            written = try await req.auditService.export(query, filters: filters.joined(separator: " "), to: url, format: format, language: req.language)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        let name = ReportTable(title: written.title, columns: [], rows: []).fileName(format, asOf: .today())
        return try await CensusController.download(req, url: url, fileName: name, format: format)
    }
}
