import Foundation
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

final class APITests: XCTestCase {
    struct ErrorBody: Decodable {
        struct Payload: Decodable {
            struct Detail: Decodable { var field: String?; var row: Int?; var code: String; var message: String }
            var code: String
            var message: String
            var details: [Detail]
        }
        var error: Payload
    }

    struct Saved: Decodable { var created: Bool; var person: PersonDetail }

    func personJSON(id: String = CensusRow.makeID(1), name: String = "张三", certificate: Bool = true) -> [String: Any] {
        var body: [String: Any] = ["name": name, "idNumber": id, "mobile": "13812345678", "regionCode": "620902001001",
                                   "postCategory": "社区工作者", "serviceFields": ["社区"], "education": "本科", "socialWorkDegree": true]
        if certificate { body["certificate"] = ["level": "社会工作师", "number": "API-\(id.suffix(6))", "issueDate": "2023-11-05"] }
        return body
    }

    func send(_ app: Application, _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil,
              check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.api(method, path, beforeRequest: { req in
            if let json {
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            }
        }, afterResponse: check)
    }

    func testHealthAnswersWithTheEngine() async throws {
        try await withApp { app in
            try await send(app, .GET, "/api/v1/health") { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains(TestDatabase.baseURL == nil ? "sqlite" : "postgresql"))
            }
        }
    }

    func testCreateReadUpdatePersonWithMaskingHistoryAndErrors() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            var personID = ""
            // create
            try await send(app, .POST, "/api/v1/people", json: personJSON()) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                let person = (body["person"] as! [String: Any])["person"] as! [String: Any]
                personID = person["id"] as! String
                XCTAssertEqual(person["idNumber"] as? String, "620***********" + CensusRow.makeID(1).suffix(4))
                XCTAssertEqual(person["mobile"] as? String, "138****5678")
                XCTAssertEqual(person["certificateLevel"] as? String, "社会工作师")
                XCTAssertFalse(res.body.string.contains(CensusRow.makeID(1)), "full ID must not appear in API answers")
            }
            // the same ID again is a conflict
            try await send(app, .POST, "/api/v1/people", json: personJSON()) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "person.exists")
            }
            // invalid values are named by JSON field, nothing written
            var bad = personJSON(id: "11010519491231002Y")
            bad["mobile"] = "12345"
            try await send(app, .POST, "/api/v1/people", json: bad) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let fields = Set(try res.content.decode(ErrorBody.self).error.details.compactMap(\.field))
                XCTAssertTrue(fields.isSuperset(of: ["idNumber", "mobile"]), "\(fields)")
            }
            // update: change post category → history and statistics follow
            var update = personJSON()
            update["postCategory"] = "村干部"
            try await send(app, .PUT, "/api/v1/people/\(personID)", json: update) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            try await send(app, .GET, "/api/v1/people/\(personID)") { res in
                XCTAssertEqual(res.status, .ok)
                let detail = try res.content.decode(PersonDetail.self)
                XCTAssertEqual(detail.person.postCategory, "村干部")
                XCTAssertTrue(detail.history.contains { $0.field == "post_category" && $0.before == "社区工作者" && $0.after == "村干部" })
                XCTAssertEqual(detail.certificates.count, 1)
            }
            // An official may reveal (audited: RegistryScopeTests).
            try await send(app, .GET, "/api/v1/people/\(personID)?reveal=true") { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertFalse(try res.content.decode(PersonDetail.self).person.idNumber.contains("*"))
            }
            try await send(app, .GET, "/api/v1/people/nobody") { res in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "not_found")
            }
            try await send(app, .GET, "/api/v1/people?region=620900&level=社会工作师") { res in
                XCTAssertEqual(try res.content.decode(Page<PersonSummary>.self).total, 1)
            }
            try await send(app, .GET, "/api/v1/people?idNumber=\(CensusRow.makeID(1).lowercased())") { res in
                XCTAssertEqual(try res.content.decode(Page<PersonSummary>.self).total, 1)
            }
            try await send(app, .GET, "/api/v1/stats/census?region=620902") { res in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                let summary = body["summary"] as! [String: Any]
                XCTAssertEqual(summary["total"] as? Int, 1)
                XCTAssertEqual(summary["certificateHolders"] as? Int, 1)
                XCTAssertEqual(summary["communityWorkers"] as? Int, 0, "moved to 村干部")
                XCTAssertNil(summary["communityWorkerCertificationRate"], "no community workers: no rate, not 0 %")
            }
            try await assertAggregatesMatchScan(app, region: "620902")
        }
    }

    func testCertificatesAndRegistrations() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            var personID = ""
            try await send(app, .POST, "/api/v1/people", json: personJSON(certificate: false)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                personID = try res.content.decode(Saved.self).person.person.id
            }
            var certificateID = ""
            let cert: [String: Any] = ["personID": personID, "level": "高级社会工作师", "number": "S-1", "issueDate": "2025-03-01", "lowScoreArea": true]
            try await send(app, .POST, "/api/v1/certificates", json: cert) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let item = try res.content.decode(CertificateListItem.self)
                certificateID = item.id
                XCTAssertTrue(item.lowScoreArea)
            }
            try await send(app, .POST, "/api/v1/certificates", json: cert) { res in
                XCTAssertEqual(res.status, .conflict)
            }
            try await send(app, .POST, "/api/v1/certificates", json: ["personID": personID, "level": "大师", "number": "", "issueDate": "2025-02-30"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(Set(try res.content.decode(ErrorBody.self).error.details.compactMap(\.field)), ["level", "number", "issueDate"])
            }
            try await send(app, .POST, "/api/v1/certificates/\(certificateID)/registrations", json: ["periodStart": "2025-04-01"]) { res in
                XCTAssertEqual(res.status, .created)
                XCTAssertEqual(try res.content.decode(RegistrationInfo.self).periodEnd, "2028-03-31", "a registration lasts 3 years")
            }
            try await send(app, .GET, "/api/v1/people/\(personID)") { res in
                let detail = try res.content.decode(PersonDetail.self)
                XCTAssertEqual(detail.person.certificateLevel, "高级社会工作师")
                XCTAssertEqual(detail.certificates.first?.registrations.count, 1)
            }
            try await send(app, .GET, "/api/v1/certificates?level=高级社会工作师&region=620000") { res in
                XCTAssertEqual(try res.content.decode(Page<CertificateListItem>.self).total, 1)
            }
            // Correcting the level: history, highest level and statistics follow; bad values are named.
            try await send(app, .PUT, "/api/v1/certificates/\(certificateID)", json: ["level": "社会工作师", "lowScoreArea": false]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let item = try res.content.decode(CertificateListItem.self)
                XCTAssertEqual(item.level, "社会工作师")
                XCTAssertFalse(item.lowScoreArea)
            }
            try await send(app, .PUT, "/api/v1/certificates/\(certificateID)", json: ["level": "大师", "issueDate": "2099-01-01"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(Set(try res.content.decode(ErrorBody.self).error.details.compactMap(\.field)), ["level", "issueDate"])
            }
            try await send(app, .GET, "/api/v1/people/\(personID)") { res in
                let detail = try res.content.decode(PersonDetail.self)
                XCTAssertEqual(detail.person.certificateLevel, "社会工作师")
                XCTAssertTrue(detail.history.contains { $0.field == "certificate" && ($0.before ?? "").contains("高级社会工作师") })
                XCTAssertTrue(detail.history.contains { $0.field == "certificate_low_score_area" })
            }
            try await assertAggregatesMatchScan(app, region: "620902")
            // A second, earlier certificate moves the first-certification year; aggregates follow.
            let earlier: [String: Any] = ["personID": personID, "level": "助理社会工作师", "number": "A-0", "issueDate": "2019-05-20"]
            try await send(app, .POST, "/api/v1/certificates", json: earlier) { res in XCTAssertEqual(res.status, .created, res.body.string) }
            let counts = try await CensusStatsStore(sql: app.sql).counts(region: "620902")
            XCTAssertEqual(counts.filter { $0.key.dimension == .firstCertifiedYear && $0.count > 0 }.map(\.key.value), ["2019"])
            try await assertAggregatesMatchScan(app, region: "620902")
            try await assertAggregatesMatchScan(app, region: RegionPath.nationCode)
        }
    }

    func testRegionsTreeAndLocalLevels() async throws {
        try await withApp { app in
            try await send(app, .GET, "/api/v1/regions") { res in
                let names = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [[String: Any]]
                XCTAssertTrue(names.contains { $0["name"] as? String == "湖北省" })
                XCTAssertFalse(names.contains { ($0["name"] as? String)?.contains("市辖区") ?? false })
            }
            try await send(app, .GET, "/api/v1/regions/421000") { res in
                XCTAssertTrue(res.body.string.contains("荆沙市"), "name history kept")
                XCTAssertTrue(res.body.string.contains("沙市区"))
            }
            try await send(app, .POST, "/api/v1/regions", json: ["code": "422826100", "name": "高乐山镇"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            try await send(app, .POST, "/api/v1/regions", json: ["code": "422826100001", "name": "城南社区"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            try await send(app, .POST, "/api/v1/regions", json: ["code": "422826999001", "name": "无上级社区"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
            }
            try await send(app, .POST, "/api/v1/regions", json: ["code": "422826100", "name": "重复"]) { res in
                XCTAssertEqual(res.status, .conflict)
            }
            try await send(app, .GET, "/api/v1/regions?parent=422826100") { res in
                XCTAssertTrue(res.body.string.contains("城南社区"))
            }
            // rename: the old name stays in the history
            try await send(app, .PUT, "/api/v1/regions/422826100001", json: ["name": "城南新区社区"]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            try await send(app, .GET, "/api/v1/regions/422826100001") { res in
                XCTAssertTrue(res.body.string.contains("城南新区社区") && res.body.string.contains("城南社区"), res.body.string)
            }
            try await send(app, .PUT, "/api/v1/regions/422826100001", json: ["name": ""]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
            }
            let region = try await RegionStore(app.db).region(code: "422826100001")!
            XCTAssertEqual(region.path, RegionPath(province: "420000", city: "422800", county: "422826", township: "422826100", community: "422826100001"))
        }
    }

    func testOrganizations() async throws {
        try await withApp { app in
            let org: [String: Any] = ["name": "咸丰县阳光社工服务中心", "creditCode": "91110000600037341L", "kind": "社工机构", "regionCode": "422826"]
            try await send(app, .POST, "/api/v1/organizations", json: org) { res in XCTAssertEqual(res.status, .created, res.body.string) }
            try await send(app, .POST, "/api/v1/organizations", json: org) { res in XCTAssertEqual(res.status, .conflict) }
            try await send(app, .POST, "/api/v1/organizations", json: ["name": "", "creditCode": "91110000600037341X", "kind": "外星"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(Set(try res.content.decode(ErrorBody.self).error.details.compactMap(\.field)), ["name", "creditCode", "kind"])
            }
            try await send(app, .GET, "/api/v1/organizations?region=420000&name=阳光") { res in
                XCTAssertEqual(try res.content.decode(Page<OrganizationInfo>.self).total, 1)
            }
        }
    }

    func testCensusUploadReportDownloadAndLimits() async throws {
        try await withApp(maxUploadMB: 1) { app in
            try await app.loadDemoGeography()
            var bad = CensusRow(); bad.id = CensusRow.makeID(2); bad.region = "999999"; bad.number = "U2"
            var importID = ""
            try await app.api(.POST, "/api/v1/imports/census?fileName=bad.csv", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow(), bad]))
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                let error = body["error"] as! [String: Any]
                XCTAssertEqual(error["code"] as? String, "census.rejected")
                let details = error["details"] as! [[String: Any]]
                XCTAssertEqual(details.first?["row"] as? Int, 3)
                XCTAssertEqual(details.first?["field"] as? String, "地区代码")
                importID = (body["report"] as! [String: Any])["importID"] as! String
            })
            let counted1 = try await app.count("people")
            XCTAssertEqual(counted1, 0)
            try await app.api(.GET, "/api/v1/imports/census/\(importID)/report?format=csv") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.headers.first(name: .contentDisposition)?.contains("attachment") ?? false)
                XCTAssertTrue(res.body.string.contains("地区代码"))
                XCTAssertTrue(res.body.string.contains("999999"))
            }
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow()]))
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(CensusImportReport.self).created, 1)
            })
            let counted2 = try await app.count("people")
            XCTAssertEqual(counted2, 0)
            try await app.api(.POST, "/api/v1/imports/census", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow()]))
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
            })
            let counted3 = try await app.count("people")
            XCTAssertEqual(counted3, 1)
            try await app.api(.POST, "/api/v1/imports/census", beforeRequest: { req in
                req.body = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 10)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .payloadTooLarge)
            })
            try await app.api(.POST, "/api/v1/imports/census?fileName=x.xlsx", beforeRequest: { req in
                req.body = ByteBuffer(bytes: [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 200))
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "sheet.xlsx.corrupt")
            })
            try await app.api(.GET, "/api/v1/exports/census?region=620900&format=csv") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("张三"))
                XCTAssertFalse(res.body.string.contains(CensusRow.makeID(1)))
            }
            try await app.api(.GET, "/api/v1/templates/census?format=xlsx") { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(Array(Data(buffer: res.body).prefix(2)), [0x50, 0x4B])
            }
        }
    }

    /// The OpenAPI document lists exactly the routes the server answers under /api/v1.
    func testOpenAPIDocumentMatchesTheRoutes() async throws {
        try await withApp { app in
            var documented = Set<String>()
            try await app.api(.GET, "/api/v1/openapi.json") { res async throws in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
                for (path, operations) in doc["paths"] as! [String: [String: Any]] {
                    for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
                }
            }
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1/") ? "\(route.method.rawValue) \(path)" : nil
            })
            XCTAssertEqual(documented, registered)
            XCTAssertGreaterThan(registered.count, 15)
        }
    }
}
