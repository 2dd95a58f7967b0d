import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Certificates and registrations, inside the caller's scope (`CertificateService`).
struct CertificatesController: RouteCollection {
    struct NewRegistration: Codable {
        var periodStart: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.certificates) { req in
            var filter = CertificateFilter()
            filter.number = req.queryString("number")
            if let raw = req.queryString("level") {
                guard let level = CertificateLevel(rawValue: raw) else {
                    throw APIError.badRequest("request.query", "level 须为：" + CertificateLevel.allCases.map(\.rawValue).joined(separator: "、"), field: "level")
                }
                filter.level = level
            }
            filter.issuedFrom = try Self.date(req, "issuedFrom")
            filter.issuedTo = try Self.date(req, "issuedTo")
            filter.page = try req.queryInt("page", default: 1)
            filter.perPage = try req.queryInt("perPage", default: 50)
            return try JSONResponse.make(try await req.certificateService.list(filter, regionCode: req.queryString("region")))
        }
        routes.on(.certificate) { req in
            try JSONResponse.make(try await req.certificateService.certificate(try req.parameter("id")))
        }
        routes.on(.certificateCreate) { req in
            let input = try req.content.decode(CertificateService.NewCertificate.self)
            return try JSONResponse.make(try await req.certificateService.create(input), status: .created)
        }
        routes.on(.certificateUpdate) { req in
            let input = try req.content.decode(CertificateService.Correction.self)
            return try JSONResponse.make(try await req.certificateService.update(try req.parameter("id"), input))
        }
        routes.on(.registrationCreate) { req in
            let input = try req.content.decode(NewRegistration.self)
            guard let start = CivilDate(censusText: input.periodStart) else {
                throw APIError.badRequest("registration.period_start.invalid", "登记起始日期须为 YYYY-MM-DD", field: "periodStart")
            }
            let info = try await req.certificateService.register(certificateID: try req.parameter("id"), start: start)
            return try JSONResponse.make(info, status: .created)
        }
    }

    static func date(_ req: Request, _ name: String) throws -> CivilDate? {
        guard let raw = req.queryString(name) else { return nil }
        guard let date = CivilDate(censusText: raw) else { throw APIError.badRequest("request.query", "参数 \(name) 须为日期 YYYY-MM-DD", field: name) }
        return date
    }
}
