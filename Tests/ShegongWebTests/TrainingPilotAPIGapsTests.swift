import Crypto
import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// What the pages could do and the API could not: case evidence, trainers and materials; and the
/// bases register's API through the same service as its page (docs/pilots.md, docs/training.md,
/// docs/bases.md).
final class TrainingPilotAPIGapsTests: XCTestCase {
    static let pdf = EvidenceFileTests.pdf
    static let html = Data("<html><script>alert(1)</script></html>".utf8)

    /// A multipart POST as the national official (or `token`'s owner); the answer.
    func postMultipart(_ app: Application, _ path: String, _ body: MultipartBody, token: String? = nil) async throws -> XCTHTTPResponse {
        var answer: XCTHTTPResponse?
        try await app.api(.POST, path, token: token, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .contentType, value: body.contentType)
            req.body = ByteBuffer(data: body.data)
        }, afterResponse: { answer = $0 })
        return answer!
    }

    func postJSON(_ app: Application, _ path: String, _ body: [String: any Sendable], token: String? = nil) async throws -> XCTHTTPResponse {
        var answer: XCTHTTPResponse?
        let data = try JSONSerialization.data(withJSONObject: body)
        try await app.api(.POST, path, token: token, beforeRequest: { req in
            req.headers.contentType = .json
            req.body = ByteBuffer(data: data)
        }, afterResponse: { answer = $0 })
        return answer!
    }

    static func json(_ res: XCTHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    // MARK: Case evidence

    func testCaseEvidenceIsUploadedThroughTheAPICheckedByContentAndStoredWithItsSHA256() async throws {
        try await withApp { app in
            // setup: a pilot of 肃州区 and a draft case
            let pilot = try await PracticeSiteStore(db: app.db).createPilot(.init(regionCode: "620902", name: "南苑社区", tier: "city"))
            let created = try await postJSON(app, "/api/v1/pilots/\(pilot.id)/cases", ["title": "助老服务", "narrative": "社工带领志愿者入户。"])
            XCTAssertEqual(created.status, .created, created.body.string)
            let caseID = Self.json(created)["id"] as! String
            // act: an HTML page called .pdf together with a good PDF
            let refused = try await postMultipart(app, "/api/v1/pilot-cases/\(caseID)/evidence",
                                                  MultipartBody(files: [("照片.pdf", Self.html), ("总结.pdf", Self.pdf)]))
            // check: refused as a whole, naming the file; nothing stored
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.body.string)
            XCTAssertTrue(refused.body.string.contains("evidence[0]"), refused.body.string)
            let afterRefusal = try await app.count("pilot_case_evidence")
            XCTAssertEqual(afterRefusal, 0)
            // act: the PDF alone
            let stored = try await postMultipart(app, "/api/v1/pilot-cases/\(caseID)/evidence", MultipartBody(files: [("总结.pdf", Self.pdf)]))
            // check: in the database with its hash and recognised type, named in the answer, audited
            XCTAssertEqual(stored.status, .created, stored.body.string)
            let files = Self.json(stored)["files"] as? [[String: Any]] ?? []
            XCTAssertEqual(files.map { $0["fileName"] as? String }, ["总结.pdf"])
            let row = try await app.sql.raw("SELECT file_name, content_type, sha256, content FROM pilot_case_evidence").first()!
            XCTAssertEqual(try row.decode(column: "sha256", as: String.self), EvidenceFileTests.sha256(Self.pdf))
            XCTAssertEqual(try row.decode(column: "content_type", as: String.self), "application/pdf")
            XCTAssertEqual(try row.decode(column: "content", as: Data.self), Self.pdf)
            let audited = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'pilot.case_evidence_add' AND object_id = \(bind: caseID)")
                .first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(audited, 1)
            // no file at all, and a body that is not multipart
            let empty = try await postMultipart(app, "/api/v1/pilot-cases/\(caseID)/evidence", MultipartBody(fields: [("note", "x")]))
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue(empty.body.string.contains("pilot.case.evidence.required"), empty.body.string)
            let json = try await postJSON(app, "/api/v1/pilot-cases/\(caseID)/evidence", ["evidence": "总结.pdf"])
            XCTAssertEqual(json.status, .unsupportedMediaType)
            // a submitted case takes no more files
            let submitted = try await postJSON(app, "/api/v1/pilot-cases/\(caseID)/steps", ["action": "submit"])
            XCTAssertEqual(submitted.status, .ok, submitted.body.string)
            let locked = try await postMultipart(app, "/api/v1/pilot-cases/\(caseID)/evidence", MultipartBody(files: [("二.pdf", Self.pdf)]))
            XCTAssertEqual(locked.status, .conflict)
            let finally = try await app.count("pilot_case_evidence")
            XCTAssertEqual(finally, 1)
        }
    }

    // MARK: The bases register's API

    func testTheBasesAPIGoesThroughTheRegisterAndRefusesAServedRegionOutsideTheProvince() async throws {
        try await withApp { app in
            // act: 敦煌市's base serving 宣州区 (安徽省)
            let refused = try await postJSON(app, "/api/v1/practice-bases", ["regionCode": "620982", "name": "敦煌市实践基地", "level": "county",
                                                                              "servedRegions": ["620922", "341802"]])
            // check
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.body.string)
            XCTAssertTrue(refused.body.string.contains("bases.served.outside_province"), refused.body.string)
            XCTAssertTrue(refused.body.string.contains("宣州区"), refused.body.string)
            let nothing = try await app.count("practice_bases")
            XCTAssertEqual(nothing, 0)
            // the first register's shape still works, and the new fields are kept
            let old = try await postJSON(app, "/api/v1/practice-bases", ["regionCode": "620982", "name": "敦煌市实践基地", "level": "县级", "host": "敦煌国际会展中心"])
            XCTAssertEqual(old.status, .created, old.body.string)
            XCTAssertEqual(Self.json(old)["levelName"] as? String, "县级")
            XCTAssertEqual(Self.json(old)["host"] as? String, "敦煌国际会展中心")
            let full = try await postJSON(app, "/api/v1/practice-bases", ["regionCode": "620982", "name": "敦煌市第二实践基地", "level": "county",
                                                                           "capacity": 30, "servedRegions": ["620922"]])
            XCTAssertEqual(full.status, .created, full.body.string)
            XCTAssertEqual(Self.json(full)["servedRegions"] as? [String], ["620922"])
            XCTAssertEqual(Self.json(full)["capacity"] as? Int, 30)
            // a missing level is a field error, as before
            let noLevel = try await postJSON(app, "/api/v1/practice-bases", ["regionCode": "620982", "name": "无级别"])
            XCTAssertEqual(noLevel.status, .unprocessableEntity)
            XCTAssertTrue(noLevel.body.string.contains("practice_base.level.invalid"), noLevel.body.string)
        }
    }

    // MARK: Trainers and materials

    func testTrainersAndMaterialsAreCreatedThroughTheAPI() async throws {
        try await withApp { app in
            let token = try await app.token(.official(region: try RegionCode.parse("620900").get(), access: .readWrite), username: "jiuquan")
            // a trainer
            let trainer = try await postJSON(app, "/api/v1/training/trainers", ["name": "王老师", "fields": ["practice", "law"], "level": "city"], token: token)
            XCTAssertEqual(trainer.status, .created, trainer.body.string)
            XCTAssertEqual(Self.json(trainer)["regionCode"] as? String, "620900")
            let badTrainer = try await postJSON(app, "/api/v1/training/trainers", ["name": "", "fields": [String](), "level": "city"], token: token)
            XCTAssertEqual(badTrainer.status, .unprocessableEntity, badTrainer.body.string)
            let trainers = try await app.count("trainers")
            XCTAssertEqual(trainers, 1)
            // a material file: checked by content, stored with its hash
            let fields = [("title", "社区矫正实务讲义"), ("topics", "practice, law"), ("audiences", "community_worker")]
            let refused = try await postMultipart(app, "/api/v1/training/materials",
                                                  MultipartBody(fields: fields, files: [("讲义.pdf", Self.html)]), token: token)
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.body.string)
            let none = try await app.count("training_materials")
            XCTAssertEqual(none, 0)
            let uploaded = try await postMultipart(app, "/api/v1/training/materials",
                                                   MultipartBody(fields: fields, files: [("讲义.pdf", Self.pdf)]), token: token)
            XCTAssertEqual(uploaded.status, .created, uploaded.body.string)
            let row = try await app.sql.raw("SELECT sha256, content_type, region_code FROM training_materials").first()!
            XCTAssertEqual(try row.decode(column: "sha256", as: String.self), EvidenceFileTests.sha256(Self.pdf))
            XCTAssertEqual(try row.decode(column: "content_type", as: String.self), "application/pdf")
            XCTAssertEqual(try row.decode(column: "region_code", as: String.self), "620900")
            // a link instead of a file
            let linked = try await postMultipart(app, "/api/v1/training/materials",
                                                 MultipartBody(fields: [("title", "政策解读"), ("topics", "law"), ("audiences", "all"),
                                                                        ("url", "https://example.org/policy")]), token: token)
            XCTAssertEqual(linked.status, .created, linked.body.string)
            let listed = try await app.count("training_materials")
            XCTAssertEqual(listed, 2)
        }
    }
}
