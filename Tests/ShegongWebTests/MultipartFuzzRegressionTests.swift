import Foundation
import NIOCore
import XCTVapor
import XCTest

/// Issue #12 §4: MultipartKit's body parser is fuzzed too (`scripts/fuzz --target multipartkit`);
/// every input the fuzzer kept under Tests/FuzzCorpus/multipartkit/ is replayed here through the
/// same code, with bodies of the shapes that trouble parsers.
final class MultipartFuzzRegressionTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus").appendingPathComponent("multipartkit")

    func testKeptInputsAreParsedOrRefusedWithoutCrashing() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.corpus.path))
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            MultipartFuzzBody.run(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
        }
    }

    func testBodiesOfAnyShapeAreParsedOrRefused() {
        let b = MultipartFuzzBody.boundary
        let valid = "--\(b)\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n张三\r\n--\(b)\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.csv\r\nContent-Type: text/csv\r\n\r\na,b\r\n--\(b)--\r\n"
        for chunk: UInt8 in [0, 1, 7, 60] {
            let (parts, bytes) = MultipartFuzzBody.run(Data([chunk]) + Data(valid.utf8))
            XCTAssertEqual(parts, 2, "chunk \(chunk)")
            XCTAssertEqual(bytes, "张三".utf8.count + 3, "chunk \(chunk)")
        }
        let odd = ["", "--", "--\(b)", "--\(b)\r\n\r\n", "--\(b)\r\nContent-Disposition\r\n\r\n--\(b)--", "--\(b)--\r\n--\(b)\r\n",
                   "--\(b)\r\nX: \(String(repeating: "y", count: 10_000))\r\n\r\nz\r\n--\(b)--", "\r\n\r\n\r\n", "--\(b)\r\nA:\r\n\r\n\r\n--\(b)"]
        for body in odd { MultipartFuzzBody.run(Data([3]) + Data(body.utf8)) }
    }

    /// What the fuzzer found in MultipartKit 4.7.1 took the whole server down with one request: a
    /// body declared as multipart/form-data with a non-ASCII byte in a part's header name (index
    /// out of range) or with an empty boundary (a failed precondition), sent to any route that
    /// decodes its content, the login form included. Now each is refused with a 4xx and the server
    /// goes on answering.
    func testBodiesThatCrashedMultipartKitAreRefusedAndTheServerStaysUp() async throws {
        try await withApp { app in
            let token = try await app.officialToken()
            var nonASCII = ByteBuffer(string: "--b\r\nC")
            nonASCII.writeBytes([0x9E])
            nonASCII.writeString("non: form-data; name=\"month\"\r\n\r\n2025-02\r\n--b--\r\n")
            let bodies: [(String, ByteBuffer)] = [("b", nonASCII), ("", ByteBuffer(string: "--\r\n\r\n"))]
            for (boundary, body) in bodies {
                let headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Authorization": "Bearer \(token)"]
                for path in ["/api/v1/allowance-runs", "/login", "/import", "/api/v1/measures/no-such-measure/reports"] {
                    try await app.test(.POST, path, headers: headers, body: body) { res async throws in
                        XCTAssertTrue((400..<500).contains(res.status.code), "\(path) boundary '\(boundary)': \(res.status)")
                    }
                }
            }
            try await app.test(.GET, "/api/v1/health") { res async throws in XCTAssertEqual(res.status, .ok) }
        }
    }
}
