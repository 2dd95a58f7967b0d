import Foundation
import MultipartKit
import NIOCore
import Vapor

/// Vapor's decoder of `multipart/form-data` bodies (`req.content`), replaced in `configure`: the
/// body goes through `GuardedMultipartParser` first, and only one that parses reaches
/// MultipartKit's `FormDataDecoder`. Before, any route that decodes content could be made to crash
/// the whole server by a body declared as multipart with an empty boundary or a non-ASCII byte in
/// a part's header name (docs/security.md). A body that does not parse is refused as Vapor refuses
/// an undecodable one.
struct GuardedFormDataDecoder: ContentDecoder {
    let wrapped = FormDataDecoder()

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        guard let boundary = headers.contentType?.parameters["boundary"] else {
            throw Abort(.unsupportedMediaType, reason: "multipart/form-data without a boundary")
        }
        guard GuardedMultipartParser.parses(body, boundary: boundary) else {
            throw Abort(.unprocessableEntity, reason: "the body is not the multipart/form-data it says it is")
        }
        return try wrapped.decode(D.self, from: body, headers: headers, userInfo: userInfo)
    }
}
