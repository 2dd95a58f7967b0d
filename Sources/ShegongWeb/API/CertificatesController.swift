import ShegongDomain
import ShegongStore
import Vapor

struct CertificatesController: RouteCollection {
    struct NewCertificate: Codable {
        var personID: String
        var level: String
        var number: String
        var issueDate: String
        var lowScoreArea: Bool?
    }
    struct Correction: Codable {
        var level: String?
        var issueDate: String?
        var lowScoreArea: Bool?
    }
    struct NewRegistration: Codable {
        var periodStart: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.certificates) { req in
            var filter = CertificateFilter()
            filter.scope = try req.scope
            filter.region = try await req.scopedRegionFilter()
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
            return try JSONResponse.make(try await CertificateStore(db: req.db, cipher: req.cipher).list(filter))
        }
        routes.on(.certificate) { req in
            try JSONResponse.make(try await Self.visibleCertificate(req))
        }
        routes.on(.certificateCreate) { req in
            let input = try req.content.decode(NewCertificate.self)
            var details: [APIErrorBody.Detail] = []
            let level = CertificateLevel(rawValue: input.level)
            if level == nil { details.append(.init(field: "level", code: "certificate.level.invalid", message: "证书等级须为：" + CertificateLevel.allCases.map(\.rawValue).joined(separator: "、"))) }
            let number = input.number.trimmingCharacters(in: .whitespaces)
            if number.isEmpty || number.count > 50 { details.append(.init(field: "number", code: "certificate.number.invalid", message: "证书编号须为 1–50 个字符")) }
            let date = CivilDate(censusText: input.issueDate)
            if date == nil { details.append(.init(field: "issueDate", code: "certificate.issue_date.invalid", message: "发证日期须为 YYYY-MM-DD")) }
            if let date, date > CivilDate.today() { details.append(.init(field: "issueDate", code: "certificate.issue_date.future", message: "发证日期不能晚于今天")) }
            guard details.isEmpty, let level, let date else {
                throw APIError(status: .unprocessableEntity, code: "validation", message: "证书信息有误", details: details)
            }
            try await req.requireVisiblePerson(input.personID)
            let cipher = req.cipher, actor = req.actorName
            let item = try await req.audited(.certificateCreate, "certificate", object: { (item: CertificateListItem) in item.id }) { tx in
                try await CertificateStore(db: tx, cipher: cipher).add(
                    personID: input.personID, certificate: CensusCertificate(level: level, number: number, issueDate: date),
                    lowScoreArea: input.lowScoreArea ?? false, actor: actor)
            }
            return try JSONResponse.make(item, status: .created)
        }
        routes.on(.certificateUpdate) { req in
            let input = try req.content.decode(Correction.self)
            var details: [APIErrorBody.Detail] = []
            let level = input.level.flatMap(CertificateLevel.init(rawValue:))
            if input.level != nil, level == nil {
                details.append(.init(field: "level", code: "certificate.level.invalid", message: "证书等级须为：" + CertificateLevel.allCases.map(\.rawValue).joined(separator: "、")))
            }
            let date = input.issueDate.flatMap(CivilDate.init(censusText:))
            if input.issueDate != nil, date == nil { details.append(.init(field: "issueDate", code: "certificate.issue_date.invalid", message: "发证日期须为 YYYY-MM-DD")) }
            if let date, date > CivilDate.today() { details.append(.init(field: "issueDate", code: "certificate.issue_date.future", message: "发证日期不能晚于今天")) }
            guard details.isEmpty else { throw APIError(status: .unprocessableEntity, code: "validation", message: "证书信息有误", details: details) }
            let id = try await Self.visibleCertificate(req).id
            let cipher = req.cipher, actor = req.actorName
            return try JSONResponse.make(try await req.audited(.certificateUpdate, "certificate", object: { (_: CertificateListItem) in id }) { tx in
                try await CertificateStore(db: tx, cipher: cipher).update(id: id, level: level, issueDate: date, lowScoreArea: input.lowScoreArea, actor: actor)
            })
        }
        routes.on(.registrationCreate) { req in
            let input = try req.content.decode(NewRegistration.self)
            guard let start = CivilDate(censusText: input.periodStart) else {
                throw APIError.badRequest("registration.period_start.invalid", "登记起始日期须为 YYYY-MM-DD", field: "periodStart")
            }
            let id = try await Self.visibleCertificate(req).id
            let cipher = req.cipher
            let info = try await req.audited(.registrationCreate, "certificate", object: { (_: RegistrationInfo) in id }) { tx in
                try await PersonStore(db: tx, cipher: cipher).addRegistration(certificateID: id, start: start)
            }
            return try JSONResponse.make(info, status: .created)
        }
    }

    /// The certificate of the path's `:id`, whose holder must be inside the scope (404 otherwise).
    static func visibleCertificate(_ req: Request) async throws -> CertificateListItem {
        guard let item = try await CertificateStore(db: req.db, cipher: req.cipher).get(id: try req.parameter("id")) else {
            throw StoreError.notFound(.certificate)
        }
        try await req.requireVisiblePerson(item.personID)
        return item
    }

    static func date(_ req: Request, _ name: String) throws -> CivilDate? {
        guard let raw = req.queryString(name) else { return nil }
        guard let date = CivilDate(censusText: raw) else { throw APIError.badRequest("request.query", "参数 \(name) 须为日期 YYYY-MM-DD", field: name) }
        return date
    }
}
