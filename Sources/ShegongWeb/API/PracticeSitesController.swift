import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Practice bases and fusion pilot communities (list and create).
struct PracticeSitesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.practiceBases) { req in
            try JSONResponse.make(try await PracticeSiteStore(db: req.db).bases(in: try await req.regionParameter()))
        }
        routes.on(.practiceBaseCreate) { req in
            let input = try req.content.decode(PracticeSiteStore.BaseInput.self)
            return try JSONResponse.make(try await PracticeSiteStore(db: req.db).createBase(input), status: .created)
        }
        routes.on(.pilotCommunities) { req in
            try JSONResponse.make(try await PracticeSiteStore(db: req.db).pilots(in: try await req.regionParameter()))
        }
        routes.on(.pilotCommunityCreate) { req in
            let input = try req.content.decode(PracticeSiteStore.PilotInput.self)
            return try JSONResponse.make(try await PracticeSiteStore(db: req.db).createPilot(input), status: .created)
        }
    }
}
