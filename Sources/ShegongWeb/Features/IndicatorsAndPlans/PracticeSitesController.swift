import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Practice bases and fusion pilot communities (list and create).
struct PracticeSitesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.practiceBases) { req in
            try JSONResponse.make(try await req.practiceSites.bases(in: try await req.regionParameter()))
        }
        // The register's use case (`PracticeBaseService.create`): the same checks as the bases
        // page — served regions in the base's own province, host organisation, capacity, period.
        routes.on(.practiceBaseCreate) { req in
            let input = try req.content.decode(NewBase.self)
            let base = try await PracticeBaseService(context: req.services, caller: try req.caller).create(input.register)
            return try JSONResponse.make(CreatedBase(base: base), status: .created)
        }
        routes.on(.pilotCommunities) { req in
            try JSONResponse.make(try await req.practiceSites.pilotCommunities(in: try await req.regionParameter()))
        }
        routes.on(.pilotCommunityCreate) { req in
            let input = try req.content.decode(PracticeSiteStore.PilotInput.self)
            return try JSONResponse.make(try await req.practiceSites.createPilotCommunity(input), status: .created)
        }
    }
}

extension Request {
    /// The short registers of bases and pilot communities for the signed-in account (`PracticeSiteService`).
    var practiceSites: PracticeSiteService {
        get throws { PracticeSiteService(context: services, caller: try caller) }
    }
}

/// The body of `POST /practice-bases`: the first register's fields (`level` may be missing, then
/// refused as a field error) and, optional, the register's others.
struct NewBase: Decodable {
    var regionCode: String
    var name: String
    var level: String?
    var host: String?
    var established: String?
    var hostOrganizationID: String?
    var capacity: Int?
    var facilities: String?
    var contactName: String?
    var contactPhone: String?
    var contactMobile: String?
    var periodFrom: String?
    var periodTo: String?
    var servedRegions: [String]?

    var register: PracticeBaseInput {
        PracticeBaseInput(regionCode: regionCode, name: name, level: level ?? "", host: host, hostOrganizationID: hostOrganizationID,
                          capacity: capacity, facilities: facilities, contactName: contactName, contactPhone: contactPhone,
                          contactMobile: contactMobile, periodFrom: periodFrom, periodTo: periodTo, established: established,
                          servedRegions: servedRegions)
    }
}

/// The new base as the register keeps it, with the level's Chinese name the first answer had.
struct CreatedBase: Encodable {
    var base: PracticeBaseDetail

    enum Keys: String, CodingKey { case levelName }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(PracticeBaseLevel(rawValue: base.level)?.chineseName ?? base.level, forKey: .levelName)
    }
}
