import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// A browser-like session for page tests: an account logged in through `/login`, its one-time
/// password changed through `/account/password`, then requests with the session cookie and the
/// page's CSRF token, as a browser would send them.
struct RegistryPageSession {
    static let password = "Registry-Pass-2025!"

    let app: Application
    let session: String
    let csrf: String

    /// Creates an account with `grant` and signs it in.
    static func signIn(_ app: Application, grant: Grant, username: String) async throws -> RegistryPageSession {
        let created = try await app.shegong.accounts().create(username: username, grant: grant, actor: "test")
        var preCSRF = ""
        try await app.api(.GET, "/login", token: "") { res in preCSRF = res.headers.setCookie?["shegong_csrf"]?.string ?? "" }
        var session = ""
        try await app.api(.POST, "/login", token: "", beforeRequest: { req in
            req.headers.cookie = ["shegong_csrf": .init(string: preCSRF)]
            try req.content.encode(["username": username, "password": created.oneTimePassword, "_csrf": preCSRF], as: .urlEncodedForm)
        }, afterResponse: { res in session = res.headers.setCookie?["shegong_session"]?.string ?? "" })
        XCTAssertFalse(session.isEmpty, "login gave no session")
        let first = RegistryPageSession(app: app, session: session, csrf: "")
        let firstCSRF = try await first.csrfToken(from: "/account/password")
        var changed = ""
        try await app.api(.POST, "/account/password", token: "", beforeRequest: { req in
            req.headers.cookie = ["shegong_session": .init(string: session)]
            try req.content.encode(["currentPassword": created.oneTimePassword, "newPassword": password, "repeatPassword": password,
                                    "_csrf": firstCSRF], as: .urlEncodedForm)
        }, afterResponse: { res in changed = res.headers.setCookie?["shegong_session"]?.string ?? "" })
        XCTAssertFalse(changed.isEmpty, "password change gave no new session")
        let signedIn = RegistryPageSession(app: app, session: changed, csrf: "")
        return RegistryPageSession(app: app, session: changed, csrf: try await signedIn.csrfToken(from: "/people"))
    }

    /// The hidden `_csrf` value of the page at `path`.
    func csrfToken(from path: String) async throws -> String {
        let html = try await get(path).body.string
        guard let range = html.range(of: #"name="_csrf" value=""#) else { XCTFail("no CSRF field on \(path)"); return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ path: String) async throws -> XCTHTTPResponse {
        var response: XCTHTTPResponse?
        try await app.api(.GET, path, token: "", beforeRequest: { req in
            req.headers.cookie = ["shegong_session": .init(string: session)]
        }, afterResponse: { response = $0 })
        return response!
    }

    /// A form POST with the CSRF token added.
    func post(_ path: String, form: [String: String]) async throws -> XCTHTTPResponse {
        var response: XCTHTTPResponse?
        var fields = form
        fields["_csrf"] = csrf
        try await app.api(.POST, path, token: "", beforeRequest: { req in
            req.headers.cookie = ["shegong_session": .init(string: session)]
            try req.content.encode(fields, as: .urlEncodedForm)
        }, afterResponse: { response = $0 })
        return response!
    }

    /// A multipart upload of `file` as the form field `file`, the CSRF token in the query.
    func upload(_ path: String, fileName: String, file: Data) async throws -> XCTHTTPResponse {
        let boundary = "----shegong-test-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var response: XCTHTTPResponse?
        try await app.api(.POST, path + "?_csrf=" + (csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), token: "", beforeRequest: { req in
            req.headers.cookie = ["shegong_session": .init(string: session)]
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = ByteBuffer(data: body)
        }, afterResponse: { response = $0 })
        return response!
    }
}
