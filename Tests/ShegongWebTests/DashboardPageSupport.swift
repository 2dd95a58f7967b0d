import Foundation
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// A browser session for the page tests: a new account with `grant` logs in through the login
/// form (double-submit CSRF cookie), changes its one-time password, and then sends the session
/// cookie with every request, and the page's CSRF token with every form.
struct DashboardPageSession {
    let app: Application
    var cookies: [String: String] = [:]
    /// The session's CSRF token, read from a page's hidden `_csrf` input.
    var csrf = ""

    static let password = "Dashboard-Page-2025!"

    static func login(_ app: Application, grant: Grant, username: String,
                      file: StaticString = #filePath, line: UInt = #line) async throws -> DashboardPageSession {
        let created = try await app.shegong.accounts().create(username: username, grant: grant, actor: "test")
        var session = DashboardPageSession(app: app)
        // setup: the login form's cookie, then the login itself
        _ = try await session.get("/login")
        let login = try await session.post("/login", form: ["username": username, "password": created.oneTimePassword,
                                                            "_csrf": session.cookies["shegong_csrf"] ?? ""])
        XCTAssertEqual(login.status, .seeOther, login.body.string, file: file, line: line)
        // the one-time password must be changed before any other page
        let form = try await session.get("/account/password")
        session.csrf = try XCTUnwrap(Self.csrfToken(in: form.body.string), "no _csrf input", file: file, line: line)
        let changed = try await session.post("/account/password", form: [
            "currentPassword": created.oneTimePassword, "newPassword": password, "repeatPassword": password, "_csrf": session.csrf])
        XCTAssertEqual(changed.status, .seeOther, changed.body.string, file: file, line: line)
        let home = try await session.get("/")
        session.csrf = try XCTUnwrap(Self.csrfToken(in: home.body.string), file: file, line: line)
        return session
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        return headers
    }

    mutating func keepCookies(_ response: XCTHTTPResponse) {
        for (name, value) in response.headers.setCookie?.all ?? [:] { cookies[name] = value.string }
    }

    mutating func get(_ path: String) async throws -> XCTHTTPResponse {
        let response = try await app.sendRequest(.GET, path, headers: headers)
        keepCookies(response)
        return response
    }

    mutating func post(_ path: String, form: [String: String]) async throws -> XCTHTTPResponse {
        var headers = self.headers
        headers.contentType = .urlEncodedForm
        let body = form.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        let response = try await app.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        keepCookies(response)
        return response
    }
}
