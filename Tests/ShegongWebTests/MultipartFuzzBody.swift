import Foundation
import MultipartKit
import NIOCore
@testable import ShegongDomain
#if !SHEGONG_FUZZ
import ShegongWeb  // scripts/fuzz compiles GuardedMultipartParser.swift into the target itself
#endif

/// What scripts/fuzz's `multipartkit` target does with one input: the multipart body parser as
/// the import wizard and the evidence upload feed it (in chunks, the part headers read by
/// `ContentDisposition`) — `GuardedMultipartParser`, MultipartKit's parser with the two crashes
/// this target found removed — then what `req.content` does with a multipart body
/// (`GuardedFormDataDecoder`: the guarded parser, and MultipartKit's `FormDataDecoder` for a body
/// that parses). The first byte chooses the chunk size (1–61), the rest is the body; the boundary
/// is fixed. The same file is compiled into ShegongWebTests, where `MultipartFuzzRegressionTests`
/// replays Tests/FuzzCorpus/multipartkit/ through it.
enum MultipartFuzzBody {
    static let boundary = "shegong-fuzz-boundary"

    struct Form: Decodable {
        var name: String?
        var month: String?
        var amount: Int?
        var file: Data?
        var tags: [String]?
    }

    /// Parts and body bytes the parser reported (for the tests).
    @discardableResult
    static func run(_ data: Data) -> (parts: Int, bytes: Int) {
        guard let first = data.first else { return (0, 0) }
        let body = [UInt8](data.dropFirst())
        let chunk = Int(first % 61) + 1
        let parser = GuardedMultipartParser(boundary: boundary)
        var parts = 0, bytes = 0
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            _ = ContentDisposition.formPart(value).fileName?.count
        }
        parser.onBody = { buffer in bytes += buffer.readableBytes }
        parser.onPartComplete = { parts += 1 }
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + chunk)
            do { try parser.execute(Array(body[offset..<end])) } catch { break }
            offset = end
        }
        let buffer = ByteBuffer(bytes: body)
        if GuardedMultipartParser.parses(buffer, boundary: boundary) {
            _ = try? FormDataDecoder().decode(Form.self, from: buffer, boundary: boundary)
        }
        return (parts, bytes)
    }
}
