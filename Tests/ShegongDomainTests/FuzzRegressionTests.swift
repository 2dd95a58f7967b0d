import Foundation
import Testing
@testable import ShegongDomain

/// Issue #12 §4: every input `scripts/fuzz` kept under Tests/FuzzCorpus/<target>/ is replayed
/// through the target's code on every test run (a crash there stops the test process, which fails
/// the run), plus inputs of the shapes that broke parsers before.
@Suite("Fuzz regression inputs")
struct FuzzRegressionTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static func inputs(_ target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func theCorpusFoldersExist() {
        for target in ["csv", "xlsx", "policy", "multipart"] {
            #expect(FileManager.default.fileExists(atPath: Self.corpus.appendingPathComponent(target).path), "\(target)")
        }
    }

    @Test(arguments: ["csv", "xlsx"])
    func spreadsheetInputsAreReadOrRefusedWithoutCrashing(target: String) throws {
        for input in Self.inputs(target) {
            if target == "csv" { FuzzBodies.csv(input) } else { FuzzBodies.xlsx(input) }
        }
    }

    @Test func policyAndMultipartInputsAreParsedOrRefusedWithoutCrashing() throws {
        for input in Self.inputs("policy") { FuzzBodies.policy(try Data(contentsOf: input)) }
        for input in Self.inputs("multipart") { FuzzBodies.multipart(try Data(contentsOf: input)) }
    }

    @Test(arguments: [
        "form-data; name=\"evidence\"; filename=\"名单.xlsx\"",
        "form-data; name=\"evidence\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.pdf; filename=\"fallback.pdf\"",
        "form-data; name=\"a\\", "\"", ";;;=;", "filename*=UTF-8''%", "filename*='''", "",
    ])
    func dispositionsOfAnyShapeGiveAName(header: String) {
        let part = ContentDisposition.formPart(header)
        _ = part.name
    }

    @Test func theRFC5987NameWinsOverThePlainOne() {
        let part = ContentDisposition.formPart("form-data; name=\"evidence\"; filename*=UTF-8''%E5%90%8D%E5%8D%95.pdf; filename=\"fallback.pdf\"")
        #expect(part.name == "evidence")
        #expect(part.fileName == "名单.pdf")
        #expect(ContentDisposition.formPart("form-data; name=\"e\"; filename=\"a;b \\\"c\\\".pdf\"").fileName == "a;b \"c\".pdf")
    }
}
