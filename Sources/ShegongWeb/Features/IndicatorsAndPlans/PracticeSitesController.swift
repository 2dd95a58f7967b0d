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
            _ = try await req.regionForChange(code: input.regionCode, field: "regionCode")
            let base = try await req.audited(.practiceBaseCreate, "practice_base", object: { (b: PracticeBaseInfo) in b.id }) { tx in
                try await PracticeSiteStore(db: tx).createBase(input)
            }
            return try JSONResponse.make(base, status: .created)
        }
        routes.on(.pilotCommunities) { req in
            try JSONResponse.make(try await PracticeSiteStore(db: req.db).pilots(in: try await req.regionParameter()))
        }
        routes.on(.pilotCommunityCreate) { req in
            let input = try req.content.decode(PracticeSiteStore.PilotInput.self)
            _ = try await req.regionForChange(code: input.regionCode, field: "regionCode")
            let pilot = try await req.audited(.pilotCommunityCreate, "pilot_community", object: { (p: PilotCommunityInfo) in p.id }) { tx in
                try await PracticeSiteStore(db: tx).createPilot(input)
            }
            return try JSONResponse.make(pilot, status: .created)
        }
    }
}
