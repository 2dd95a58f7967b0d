import ShegongDomain
import ShegongStore
import Vapor

struct RegionsController: RouteCollection {
    struct RegionDTO: Codable {
        var code: String
        var name: String
        var level: String
        var parentCode: String?
        var path: RegionPath
        var validFrom: Int?
        var validTo: Int?
        var source: String
        init(_ r: Region) {
            code = r.code; name = r.name; level = r.level.englishName.lowercased(); parentCode = r.parentCode
            path = r.path; validFrom = r.validFrom; validTo = r.validTo; source = r.source
        }
    }
    struct RegionDetail: Codable {
        var region: RegionDTO
        var names: [RegionName]
        var children: [RegionDTO]
    }
    struct NewRegion: Codable {
        var code: String
        var name: String
    }

    func boot(routes: any RoutesBuilder) throws {
        // Children of a region (default: the provinces).
        routes.on(.regions) { req in
            let parent = req.queryString("parent") ?? RegionPath.nationCode
            guard try await req.regions.region(code: parent) != nil else {
                throw APIError(status: .notFound, code: "region.unknown", message: "地区代码 \(parent) 不存在")
            }
            return try JSONResponse.make(try await req.regions.children(of: parent).map(RegionDTO.init))
        }
        routes.on(.region) { req in
            let code = try req.parameter("code")
            guard let region = try await req.regions.region(code: code) else { throw StoreError.notFound("地区 \(code) ") }
            return try JSONResponse.make(RegionDetail(region: RegionDTO(region), names: try await req.regions.names(of: code),
                                                      children: try await req.regions.children(of: code).map(RegionDTO.init)))
        }
        routes.on(.regionUpdate) { req in
            let input = try req.content.decode([String: String].self)
            guard let name = input["name"] else { throw APIError.badRequest("region.name.invalid", "缺少 name", field: "name") }
            return try JSONResponse.make(RegionDTO(try await req.regions.rename(code: try req.parameter("code"), to: name, now: Date())))
        }
        // Townships (9 digits) and communities (12 digits) under existing regions.
        routes.on(.regionCreate) { req in
            let input = try req.content.decode(NewRegion.self)
            let region = try await req.regions.addLocal(code: input.code, name: input.name, now: Date())
            return try JSONResponse.make(RegionDTO(region), status: .created)
        }
    }
}
