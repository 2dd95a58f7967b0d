import Crypto
import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// A `multipart/form-data` body as a browser sends it: text fields, then files (each part named
/// `evidence` unless told otherwise).
struct MultipartBody {
    let boundary = "----shegong-evidence-\(UUID().uuidString)"
    var data = Data()

    init(fields: [(String, String)] = [], files: [(name: String, data: Data)] = [], fileField: String = "evidence",
         fileType: String = "application/octet-stream") {
        for (name, value) in fields {
            data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            data.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(file.name)\"\r\nContent-Type: \(fileType)\r\n\r\n".utf8))
            data.append(file.data)
            data.append(Data("\r\n".utf8))
        }
        data.append(Data("--\(boundary)--\r\n".utf8))
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}

/// Issue #5 §4: progress reports carry evidence files — uploaded with the report (page or API),
/// checked by type, size and name, stored in the database with the report in one transaction, and
/// downloaded by whoever may read the plan (audited); out of sight is a 404, audited as denied.
final class EvidenceFileTests: XCTestCase {
    static let jiuquan = "620900"
    static let pdf = Data("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x01, 0x02, 0xFF, 0x00])

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// The `href`s of the evidence links in some HTML.
    static func evidenceLinks(_ html: String) -> [String] {
        html.components(separatedBy: #"href="/plans/evidence/"#).dropFirst().map { "/plans/evidence/" + $0.prefix { $0 != "\"" } }
    }

    func department(_ app: Application, _ name: String, username: String) async throws -> String {
        try await app.token(.departmentOperator(department: name, region: try RegionCode.parse(Self.jiuquan).get()), username: username)
    }

    func postReport(_ app: Application, token: String, measure: String = "jiuquan-2025:4.3", _ body: MultipartBody,
                    check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.api(.POST, "/api/v1/measures/\(measure)/reports", token: token, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .contentType, value: body.contentType)
            req.body = ByteBuffer(data: body.data)
        }, afterResponse: check)
    }

    func testADepartmentOperatorAttachesTwoFilesOnThePlanPageAndTheyDownloadUnchanged() async throws {
        try await withApp { app in
            // setup: 市教育局 leads measure 4.3; 市委社会工作部 leads several measures
            try await app.loadDemoGeography()
            let session = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "市教育局", region: try RegionCode.parse(Self.jiuquan).get()), username: "jq-edu")
            let page = try await session.get("/plans/jiuquan-2025")
            XCTAssertTrue(page.body.string.contains(#"enctype="multipart/form-data""#))
            XCTAssertTrue(page.body.string.contains(#"<input id="f-4.3-evidence" name="evidence" type="file""#), "a multiple file input per measure")
            let form = MultipartBody(fields: [("date", "2025-05-01"), ("text", "已覆盖 12 所学校"), ("completes", "on")],
                                     files: [("覆盖学校通知.pdf", Self.pdf), ("现场照片.png", Self.png)])

            // act: without the token, then with it
            let withoutToken = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports", form, csrf: "")
            XCTAssertEqual(withoutToken.status, .forbidden)
            let saved = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports", form)

            // check: the report lists both files as download links
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            let after = try await session.get(saved.headers.first(name: .location) ?? "/")
            let row = after.body.string.components(separatedBy: #"<tr id="m-4.3">"#).dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
            XCTAssertTrue(row.contains("覆盖学校通知.pdf") && row.contains("现场照片.png") && row.contains(#"class="status awaiting_confirmation""#), row)  // done waits for the plan owner (issue #18 §2)
            let links = Self.evidenceLinks(row)
            XCTAssertEqual(links.count, 2, row)
            // each downloads as the same bytes, with the type decided on upload, as an attachment with the Chinese name
            for (link, (name, bytes, type)) in zip(links, [("覆盖学校通知.pdf", Self.pdf, "application/pdf"), ("现场照片.png", Self.png, "image/png")]) {
                let file = try await session.get(link)
                XCTAssertEqual(file.status, .ok)
                XCTAssertEqual(Data(buffer: file.body), bytes)
                XCTAssertEqual(file.headers.first(name: .contentType), type)
                XCTAssertEqual(file.headers.first(name: "X-Content-Type-Options"), "nosniff")
                let disposition = file.headers.first(name: .contentDisposition) ?? ""
                XCTAssertTrue(disposition.hasPrefix("attachment;"), disposition)
                XCTAssertTrue(disposition.contains("filename*=UTF-8''" + name.addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "abcdefghijklmnopqrstuvwxyz.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))!),
                              disposition)
                XCTAssertTrue(disposition.allSatisfy(\.isASCII), disposition)
            }
            let stored = try await app.count("measure_evidence")
            XCTAssertEqual(stored, 2)
            let downloads = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "evidence.download").all()
            XCTAssertEqual(downloads.count, 2)
        }
    }

    func testFormIDsAreUniqueWhenOneDepartmentLeadsSeveralMeasures() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let session = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "市委社会工作部", region: try RegionCode.parse(Self.jiuquan).get()), username: "jq-swb")
            // act
            let html = try await session.get("/plans/jiuquan-2025").body.string
            // check: several forms, every id once, every label pointing at its own input
            XCTAssertGreaterThan(html.components(separatedBy: #"action="/plans/jiuquan-2025/measures/"#).count - 1, 1)
            let ids = html.components(separatedBy: #" id=""#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertEqual(ids.count, Set(ids).count, "repeated: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
            XCTAssertTrue(ids.contains("f-2.2-date") && ids.contains("f-2.2-evidence"))
        }
    }

    func testTheAPITakesFilesAndRefusesBadOnesNamingThemWithNothingWritten() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let education = try await department(app, "市教育局", username: "api-edu")
            let html = Data("<!doctype html><html><script>alert(1)</script></html>".utf8)
            let fields = [("date", "2025-05-01"), ("text", "已覆盖 12 所学校")]

            // act + check: a disallowed type, an HTML page called .pdf, an executable, next to a good file — all named, nothing written
            try await postReport(app, token: education, MultipartBody(fields: fields, files: [
                ("通知.pdf", Self.pdf), ("页面.html", html), ("伪装.pdf", html), ("工具.exe", Data("MZ\u{90}\u{0}".utf8))])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let details = try res.content.decode(APITests.ErrorBody.self).error.details
                XCTAssertEqual(details.compactMap(\.field), ["evidence[1]", "evidence[2]", "evidence[3]"])
                XCTAssertTrue(details[0].message.contains("页面.html") && details[1].message.contains("伪装.pdf") && details[2].message.contains("工具.exe"),
                              "\(details.map(\.message))")
            }
            // a file one byte over 20 MiB
            var big = Self.pdf
            big.append(Data(count: EvidenceRules.maxFileBytes + 1 - big.count))
            try await postReport(app, token: education, MultipartBody(fields: fields, files: [("扫描件.pdf", big)])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                XCTAssertTrue(res.body.string.contains("扫描件.pdf") && res.body.string.contains("report.evidence.size"), res.body.string)
            }
            // more files than allowed
            let many = (1...(EvidenceRules.maxFiles + 1)).map { ("第\($0)页.png", Self.png) }
            try await postReport(app, token: education, MultipartBody(fields: fields, files: many)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("report.evidence.count"), res.body.string)
            }
            // JSON may no longer claim evidence by name alone; JSON without evidence still works below
            try await app.api(.POST, "/api/v1/measures/jiuquan-2025:4.3/reports", token: education, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"date": "2025-05-01", "text": "见附件", "evidence": ["名单.xlsx"]}"#)
            }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("report.evidence.file_required") && res.body.string.contains("名单.xlsx"), res.body.string)
            }
            var reports = try await app.count("measure_reports")
            var files = try await app.count("measure_evidence")
            XCTAssertEqual([reports, files], [0, 0], "nothing written by a refused report")

            // the good report: both files stored, listed as objects with size, hash and url
            var urls: [String] = []
            try await postReport(app, token: education, MultipartBody(fields: fields + [("completes", "true")],
                                                                      files: [("通知.pdf", Self.pdf), ("照片.png", Self.png)])) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let report = (try IndicatorAPI.object(res)["reports"] as! [[String: Any]])[0]
                let evidence = report["evidence"] as! [[String: Any]]
                XCTAssertEqual(evidence.map { $0["fileName"] as? String }, ["通知.pdf", "照片.png"])
                XCTAssertEqual(evidence.map { $0["size"] as? Int }, [Self.pdf.count, Self.png.count])
                XCTAssertEqual(evidence.map { $0["sha256"] as? String }, [Self.sha256(Self.pdf), Self.sha256(Self.png)])
                urls = evidence.compactMap { $0["url"] as? String }
            }
            XCTAssertEqual(urls.count, 2)
            try await app.api(.GET, urls[0], token: education) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(Data(buffer: res.body), Self.pdf)
                XCTAssertEqual(res.headers.first(name: .contentType), "application/pdf")
                XCTAssertTrue(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            }
            // the plan JSON lists them too
            try await app.api(.GET, "/api/v1/plans/jiuquan-2025", token: education) { res in
                let measure = (try IndicatorAPI.object(res)["keyTasks"] as! [[String: Any]]).flatMap { $0["measures"] as! [[String: Any]] }
                    .first { $0["id"] as? String == "jiuquan-2025:4.3" }!
                let evidence = (measure["reports"] as! [[String: Any]])[0]["evidence"] as! [[String: Any]]
                XCTAssertEqual(evidence.compactMap { $0["url"] as? String }, urls)
            }
            // JSON without evidence is still a report
            try await app.api(.POST, "/api/v1/measures/jiuquan-2025:4.3/reports", token: education, beforeRequest: { req in
                try req.content.encode(["date": "2025-06-01", "text": "又覆盖 3 所学校"], as: .json)
            }) { XCTAssertEqual($0.status, .created, $0.body.string) }
            reports = try await app.count("measure_reports")
            files = try await app.count("measure_evidence")
            XCTAssertEqual([reports, files], [2, 2])
        }
    }

    func testATooLargeUploadIs413AndWritesNothing() async throws {
        try await withApp(maxUploadMB: 1) { app in
            // setup
            try await app.loadDemoGeography()
            let education = try await department(app, "市教育局", username: "api-edu")
            var big = Self.pdf
            big.append(Data(count: 2 << 20))
            // act + check: the API answers 413 …
            try await postReport(app, token: education, MultipartBody(fields: [("date", "2025-05-01"), ("text", "扫描件")], files: [("扫描件.pdf", big)])) { res in
                XCTAssertEqual(res.status, .payloadTooLarge, res.body.string)
                XCTAssertTrue(res.body.string.contains("request.too_large"))
            }
            // … and the page shows the plan again with the limit beside the file input
            let session = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "市教育局", region: try RegionCode.parse(Self.jiuquan).get()), username: "jq-edu")
            _ = try await session.get("/plans/jiuquan-2025")
            let page = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports",
                                                       MultipartBody(fields: [("date", "2025-05-01"), ("text", "扫描件")], files: [("扫描件.pdf", big)]))
            XCTAssertEqual(page.status, .payloadTooLarge)
            XCTAssertTrue(page.body.string.contains("1 MiB"), page.body.string)
            let reports = try await app.count("measure_reports")
            XCTAssertEqual(reports, 0)
        }
    }

    func testDownloadsOutsideThePlansJurisdictionAre404AndAuditedAndNeedALogin() async throws {
        try await withApp { app in
            // setup: one file on Jiuquan's measure 4.3
            try await app.loadDemoGeography()
            let education = try await department(app, "市教育局", username: "api-edu")
            var url = ""
            try await postReport(app, token: education, MultipartBody(fields: [("date", "2025-05-01"), ("text", "名单")], files: [("名单.png", Self.png)])) { res in
                let report = (try IndicatorAPI.object(res)["reports"] as! [[String: Any]])[0]
                url = ((report["evidence"] as! [[String: Any]])[0]["url"] as? String) ?? ""
            }
            let id = String(url.split(separator: "/").last ?? "")
            XCTAssertFalse(id.isEmpty)
            let jingzhou = try await app.token(.official(region: try RegionCode.parse("421000").get(), access: .readWrite), username: "jz-api")
            let suzhou = try await app.token(.official(region: try RegionCode.parse("620902").get(), access: .read), username: "sz-api")

            // act + check: an official elsewhere gets the same 404 as for no such file, audited as denied
            try await app.api(.GET, url, token: jingzhou) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/evidence/no-such-file", token: jingzhou) { XCTAssertEqual($0.status, .notFound) }
            let denied = try await app.sql.select().column("object_id").from("audit_log")
                .where("action", .equal, "access.denied").where("object_type", .equal, "evidence").all()
            XCTAssertEqual(try denied.map { try $0.decode(column: "object_id", as: String.self) }, [id])
            let outsider = try await BrowserSession.signIn(
                app, grant: .official(region: try RegionCode.parse("421000").get(), access: .read), username: "jz-page")
            let outsiderPage = try await outsider.get("/plans/evidence/\(id)")
            XCTAssertEqual(outsiderPage.status, .notFound)
            // a county official follows the city's plan: may download
            try await app.api(.GET, url, token: suzhou) { XCTAssertEqual(Data(buffer: $0.body), Self.png) }
            // nobody signed in: 401 from the API, the login page from the page route
            try await app.api(.GET, url, token: "") { XCTAssertEqual($0.status, .unauthorized) }
            let anonymous = try await app.sendRequest(.GET, "/plans/evidence/\(id)")
            XCTAssertEqual(anonymous.status, .seeOther)
            XCTAssertTrue(anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    func testTheDemoPlanPageShowsEvidenceThatDownloads() async throws {
        try await withApp { app in
            // setup: the demo with its progress reports
            _ = try await DemoDataSet(people: 0).load(db: app.db, cipher: app.shegong.cipher)
            let again = try await DemoDataSet(people: 0).load(db: app.db, cipher: app.shegong.cipher)
            XCTAssertEqual(again.reportsAdded, 0, "loading twice adds nothing")
            let session = try await BrowserSession.signIn(
                app, grant: .official(region: try RegionCode.parse(Self.jiuquan).get(), access: .read), username: "jq-read")
            // act
            let html = try await session.get("/plans/jiuquan-2025").body.string
            // check: three files on two measures, the PDF a real one
            let links = Self.evidenceLinks(html)
            XCTAssertEqual(links.count, 3, html)
            let pdf = try await session.get(links[0])
            XCTAssertEqual(pdf.headers.first(name: .contentType), "application/pdf")
            XCTAssertTrue(pdf.body.string.hasPrefix("%PDF-") && pdf.body.string.contains("%%EOF"))
        }
    }
}
