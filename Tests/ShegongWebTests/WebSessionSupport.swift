import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// A browser as the tests see it: keeps cookies between requests, sends forms with the page's
/// CSRF token, and logs in through the login page like a person would.
final class BrowserSession: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    /// The `_csrf` value of the last page that had one.
    var csrf = ""

    init(_ app: Application) { self.app = app }

    /// A request with the cookies; `form` is sent url-encoded with `_csrf` unless it has its own.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, csrf token: String? = nil,
              file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
        var result: XCTHTTPResponse?
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        try await app.test(method, path, headers: headers, file: file, line: line, beforeRequest: { req async throws in
            if var form {
                if form["_csrf"] == nil { form["_csrf"] = token ?? self.csrf }
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&"))
            }
        }, afterResponse: { res async throws in result = res })
        let response = result!
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 || pair.count == 1 else { continue }
            let name = String(pair[0]), value = pair.count == 2 ? String(pair[1]) : ""
            if value.isEmpty || header.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let token = Self.hiddenCSRF(in: response.body.string) { csrf = token }
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func hiddenCSRF(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Logs in through the form; returns the response of the POST.
    @discardableResult
    func login(_ username: String, _ password: String) async throws -> XCTHTTPResponse {
        try await send(.GET, "/login")
        return try await send(.POST, "/login", form: ["username": username, "password": password, "next": "/"], csrf: cookies["shegong_csrf"] ?? "")
    }

    /// A new account of `grant`, logged in and past the forced password change; returns its password.
    @discardableResult
    func signIn(as grant: Grant, username: String) async throws -> String {
        let created = try await app.shegong.accounts().create(username: username, grant: grant, actor: "test")
        let first = try await login(username, created.oneTimePassword)
        XCTAssertEqual(first.headers.first(name: .location), "/account/password")
        try await send(.GET, "/account/password")
        let password = "Qz7!" + UUID().uuidString.prefix(8)
        let changed = try await send(.POST, "/account/password",
                                     form: ["currentPassword": created.oneTimePassword, "newPassword": password, "repeatPassword": password])
        XCTAssertEqual(changed.status, .seeOther, changed.body.string)
        try await send(.GET, "/account")  // the new session's CSRF token
        return password
    }
}

extension Grant {
    static func nationalOfficial(_ access: Access = .readWrite) -> Grant {
        .official(region: try! RegionCode.parse(RegionPath.nationCode).get(), access: access)
    }
}
