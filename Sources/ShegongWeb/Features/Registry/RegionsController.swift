import Foundation
import ShegongDomain
import ShegongServices
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
    struct RegionChoiceDTO: Codable {
        var code: String
        var name: String
        var level: String
        var parentName: String?
        init(_ c: RegionChoice) { code = c.code; name = c.name; level = c.level.englishName; parentName = c.parentName }
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
        // Children of a region (default: the principal's own region), inside the scope.
        routes.on(.regions) { req in
            try JSONResponse.make(try await req.regionService.children(of: req.queryString("parent")).map(RegionDTO.init))
        }
        // The region picker's lists: children of a region or a search by name, in scope.
        routes.on(.regionChoices) { req in
            let search = req.queryString("q")
            let choices = try await req.regionService.choices(parent: req.queryString("parent"), search: search,
                                                             limit: search == nil ? 500 : 20)
            return try JSONResponse.make(choices.map(RegionChoiceDTO.init))
        }
        routes.on(.region) { req in
            let detail = try await req.regionService.region(try req.parameter("code"))
            return try JSONResponse.make(RegionDetail(region: RegionDTO(detail.region), names: detail.names, children: detail.children.map(RegionDTO.init)))
        }
        routes.on(.regionUpdate) { req in
            let input = try req.content.decode([String: String].self)
            guard let name = input["name"] else { throw APIError.badRequest("region.name.invalid", "缺少 name", field: "name") }
            return try JSONResponse.make(RegionDTO(try await req.regionService.rename(try req.parameter("code"), to: name)))
        }
        // Townships (9 digits) and communities (12 digits) under existing regions.
        routes.on(.regionCreate) { req in
            let input = try req.content.decode(NewRegion.self)
            return try JSONResponse.make(RegionDTO(try await req.regionService.create(code: input.code, name: input.name)), status: .created)
        }
    }
}
