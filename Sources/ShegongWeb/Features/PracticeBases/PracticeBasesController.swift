import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The practice-base use cases as the signed-in account may take them.
    var practiceBases: PracticeBaseService {
        get throws { PracticeBaseService(context: services, caller: try caller) }
    }

    /// The post use cases as the signed-in account may take them.
    var posts: PostService {
        get throws { PostService(context: services, caller: try caller) }
    }
}

/// The JSON API of practice bases and posts: decode, call the service, encode.
struct PracticeBasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.practiceBase) { req in
            try JSONResponse.make(try await req.practiceBases.base(try req.parameter("id")))
        }
        routes.on(.practiceBaseUpdate) { req in
            let input = try req.content.decode(PracticeBaseInput.self)
            return try JSONResponse.make(try await req.practiceBases.update(try req.parameter("id"), input))
        }
        routes.on(.practiceBasePlacementCreate) { req in
            let input = try req.content.decode(PlacementInput.self)
            return try JSONResponse.make(try await req.practiceBases.addPlacement(try req.parameter("id"), input), status: .created)
        }
        routes.on(.organizationPosts) { req in
            try JSONResponse.make(try await req.posts.posts(of: try req.parameter("id")).posts)
        }
        routes.on(.postCreate) { req in
            let input = try req.content.decode(PostInput.self)
            return try JSONResponse.make(try await req.posts.create(organizationID: try req.parameter("id"), input), status: .created)
        }
        routes.on(.postUpdate) { req in
            let input = try req.content.decode(PostInput.self)
            return try JSONResponse.make(try await req.posts.update(postID: try req.parameter("id"), input))
        }
        routes.on(.postFill) { req in
            let input = try req.content.decode(PostFillInput.self)
            return try JSONResponse.make(try await req.posts.fill(postID: try req.parameter("id"), input), status: .created)
        }
        routes.on(.postVacate) { req in
            try JSONResponse.make(try await req.posts.vacate(postID: try req.parameter("id"), fillID: try req.parameter("fill")))
        }
        routes.on(.postTotals) { req in
            try JSONResponse.make(try await req.posts.totals(regionCode: req.queryString("region")))
        }
    }
}
