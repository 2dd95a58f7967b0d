import ShegongDomain
import ShegongStore
import Vapor

/// People of the registry. Lists and answers show ID and mobile numbers masked; revealing them
/// needs an account allowed to (accounts arrive with the access-control work), so it is refused here.
struct PeopleController: RouteCollection {
    struct Saved: Codable {
        var created: Bool
        var person: PersonDetail
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.people) { req in
            var filter = PersonFilter()
            if req.queryString("region") != nil { filter.region = try await req.regionParameter() }
            filter.name = req.queryString("name")
            filter.idNumber = req.queryString("idNumber")
            filter.certificateNumber = req.queryString("certificateNumber")
            filter.organizationID = req.queryString("organization")
            if let raw = req.queryString("postCategory") {
                guard let category = PostCategory(rawValue: raw) else {
                    throw APIError.badRequest("request.query", "postCategory 须为：" + PostCategory.allCases.map(\.rawValue).joined(separator: "、"), field: "postCategory")
                }
                filter.postCategory = category
            }
            if let raw = req.queryString("level") {
                guard raw == CensusFacts.none || CertificateLevel(rawValue: raw) != nil else {
                    throw APIError.badRequest("request.query", "level 须为：" + (CertificateLevel.allCases.map(\.rawValue) + [CensusFacts.none]).joined(separator: "、"), field: "level")
                }
                filter.level = raw
            }
            filter.page = try req.queryInt("page", default: 1)
            filter.perPage = try req.queryInt("perPage", default: 50)
            return try JSONResponse.make(try await req.people.list(filter))
        }
        routes.on(.person) { req in
            if req.queryString("reveal") == "true" {
                throw APIError(status: .forbidden, code: "reveal.forbidden",
                               message: "查看完整身份证号和手机号需要有权限的账号；当前接口只提供脱敏信息")
            }
            guard let detail = try await req.people.detail(id: try req.parameter("id")) else { throw StoreError.notFound("人员") }
            return try JSONResponse.make(detail)
        }
        routes.on(.personCreate) { req in
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            let saved = try await req.people.save(record, target: nil, actor: "api", source: "api")
            return try JSONResponse.make(Saved(created: true, person: try await req.people.detail(id: saved.personID)!), status: .created)
        }
        routes.on(.personUpdate) { req in
            let id = try req.parameter("id")
            guard try await req.people.summary(id: id) != nil else { throw StoreError.notFound("人员") }
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            let saved = try await req.people.save(record, target: id, actor: "api", source: "api")
            return try JSONResponse.make(Saved(created: false, person: try await req.people.detail(id: saved.personID)!))
        }
    }
}
