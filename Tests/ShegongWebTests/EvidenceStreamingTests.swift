import Foundation
import NIOCore
import ShegongDomain
import XCTest
@testable import ShegongWeb

/// Issue #12 §2: a progress report's evidence files go to disk while they arrive — the request
/// never holds them in memory — within the request limit counted while streaming, and nothing is
/// left in the temporary folder afterwards.
final class EvidenceStreamingTests: XCTestCase {
    /// A body delivered in fixed chunks, calling `between` after each chunk has been taken.
    struct ChunkedBody: AsyncSequence {
        typealias Element = ByteBuffer
        let chunks: [Data]
        let between: @Sendable (Int) -> Void

        struct AsyncIterator: AsyncIteratorProtocol {
            let body: ChunkedBody
            var index = 0
            mutating func next() async throws -> ByteBuffer? {
                if index > 0 { body.between(index) }
                guard index < body.chunks.count else { return nil }
                defer { index += 1 }
                return ByteBuffer(data: body.chunks[index])
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
    }

    final class Sizes: @unchecked Sendable {
        var afterChunk: [Int: [Int]] = [:]
    }

    func folder() throws -> (TempFiles, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-evidence-test-\(UUID().uuidString)")
        return (try TempFiles(directory: url), url)
    }

    static func sizes(in folder: URL) -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted().map {
            (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).path)[.size] as? Int) ?? -1
        }
    }

    func testEvidenceFilesAreWrittenToDiskAsTheyArriveAndNothingIsLeftBehind() async throws {
        // setup: a 3 MiB scan sent in 1 MiB chunks after the text fields
        let (temp, url) = try folder()
        defer { try? FileManager.default.removeItem(at: url) }
        var scan = EvidenceFileTests.pdf
        scan.append(Data(repeating: 0x41, count: (3 << 20) - scan.count))
        let body = MultipartBody(fields: [("date", "2025-05-01"), ("text", "扫描件")], files: [("扫描件.pdf", scan)])
        let chunks = stride(from: 0, to: body.data.count, by: 1 << 20).map { body.data.subdata(in: $0..<min(body.data.count, $0 + (1 << 20))) }
        let seen = Sizes()
        let folderURL = url
        // act
        let submission = try await ReportSubmission.multipart(
            ChunkedBody(chunks: chunks, between: { index in seen.afterChunk[index] = Self.sizes(in: folderURL) }),
            boundary: body.boundary, limit: 64 << 20, tempFiles: temp)
        // check: after the second chunk the file part is on disk (about 2 MiB of it), not in memory
        let midway = try XCTUnwrap(seen.afterChunk[2])
        XCTAssertEqual(midway.count, 1, "one evidence file in the folder while the body streams")
        XCTAssertGreaterThan(midway.first ?? 0, 1 << 20)
        XCTAssertEqual(submission.files.map(\.fileName), ["扫描件.pdf"])
        XCTAssertEqual(submission.files.first?.content, scan)
        XCTAssertEqual(submission.input.text, "扫描件")
        XCTAssertEqual(Self.sizes(in: url), [], "the file is gone from the folder once it is read")
    }

    func testABodyOverTheLimitStopsWhileStreamingAndLeavesNothingBehind() async throws {
        // setup
        let (temp, url) = try folder()
        defer { try? FileManager.default.removeItem(at: url) }
        var scan = EvidenceFileTests.pdf
        scan.append(Data(count: 3 << 20))
        let body = MultipartBody(fields: [("date", "2025-05-01"), ("text", "扫描件")], files: [("扫描件.pdf", scan)])
        let chunks = stride(from: 0, to: body.data.count, by: 1 << 20).map { body.data.subdata(in: $0..<min(body.data.count, $0 + (1 << 20))) }
        let seen = Sizes()
        // act + check: refused (413) at the chunk that passes 2 MiB, before the rest is read
        do {
            _ = try await ReportSubmission.multipart(ChunkedBody(chunks: chunks, between: { seen.afterChunk[$0] = [] }),
                                                     boundary: body.boundary, limit: 2 << 20, tempFiles: temp)
            XCTFail("expected 413")
        } catch let error as APIError {
            XCTAssertEqual(error.status, .payloadTooLarge)
        }
        XCTAssertNil(seen.afterChunk[3], "the body is not read past the limit")
        XCTAssertEqual(Self.sizes(in: url), [])
    }
}
