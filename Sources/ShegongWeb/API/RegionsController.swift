import Foundation
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
        // Children of a region (default: the principal's own region), inside the scope.
        routes.on(.regions) { req in
            let parent = try await req.regionParameter("parent")
            return try JSONResponse.make(try await req.regions.children(of: parent.code).map(RegionDTO.init))
        }
        routes.on(.region) { req in
            let region = try await req.scopedRegion(code: try req.parameter("code"), field: "code")
            return try JSONResponse.make(RegionDetail(region: RegionDTO(region), names: try await req.regions.names(of: region.code),
                                                      children: try await req.regions.children(of: region.code).map(RegionDTO.init)))
        }
        routes.on(.regionUpdate) { req in
            let input = try req.content.decode([String: String].self)
            guard let name = input["name"] else { throw APIError.badRequest("region.name.invalid", "缺少 name", field: "name") }
            let code = try req.parameter("code")
            guard try await req.regionForChange(code: code, field: "code") != nil else { throw StoreError.notFound(.region, code) }
            let renamed = try await req.audited(.regionUpdate, "region", details: name, object: { (r: Region) in r.code }) { tx in
                try await RegionStore(tx).rename(code: code, to: name, now: Date())
            }
            return try JSONResponse.make(RegionDTO(renamed))
        }
        // Townships (9 digits) and communities (12 digits) under existing regions.
        routes.on(.regionCreate) { req in
            let input = try req.content.decode(NewRegion.self)
            // The parent by the code's structure: a township under its county, a community under its township.
            if let parent = try? RegionCode.parse(input.code.trimmingCharacters(in: .whitespaces)).get().parent {
                _ = try await req.regionForChange(code: parent.value, field: "code")
            }
            let region = try await req.audited(.regionCreate, "region", object: { (r: Region) in r.code }) { tx in
                try await RegionStore(tx).addLocal(code: input.code, name: input.name, now: Date())
            }
            return try JSONResponse.make(RegionDTO(region), status: .created)
        }
    }
}
