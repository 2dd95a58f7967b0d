import Foundation
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// A browser as the tests see it: keeps cookies between requests, sends forms with the page's
/// CSRF token, and logs in through the login page like a person would. The one login helper of
/// the page tests: `BrowserSession.signIn(app, grant:username:)` makes an account, logs it in
/// through `/login` and changes its one-time password through `/account/password`.
final class BrowserSession: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    /// The `_csrf` value of the last page that had one.
    var csrf = ""
    /// The account's password after `signIn` (its one-time password changed).
    var password = ""

    init(_ app: Application) { self.app = app }

    /// A new account of `grant`, signed in and past the forced password change; `language` sets
    /// the `lang` cookie the language switch would set.
    static func signIn(_ app: Application, grant: Grant, username: String, language: Language? = nil,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> BrowserSession {
        let browser = BrowserSession(app)
        if let language { browser.cookies["lang"] = language.tag }
        try await browser.signIn(as: grant, username: username, file: file, line: line)
        return browser
    }

    /// A request with the cookies; `form` is sent url-encoded with `_csrf` unless it has its own.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, csrf token: String? = nil,
              headers extra: HTTPHeaders = [:], body: ByteBuffer? = nil,
              file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
        var result: XCTHTTPResponse?
        var headers = extra
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        try await app.test(method, path, headers: headers, file: file, line: line, beforeRequest: { req async throws in
            if var form {
                if form["_csrf"] == nil { form["_csrf"] = token ?? self.csrf }
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&"))
            } else if let body {
                req.body = body
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

    func get(_ path: String, file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
        try await send(.GET, path, file: file, line: line)
    }

    /// A form POST, with the session's CSRF token unless `form` has its own `_csrf`.
    func post(_ path: String, form: [String: String], file: StaticString = #filePath, line: UInt = #line) async throws -> XCTHTTPResponse {
        try await send(.POST, path, form: form, file: file, line: line)
    }

    /// A `multipart/form-data` POST (the upload forms, whose body is streamed): the CSRF token in the query.
    func postMultipart(_ path: String, _ body: MultipartBody, csrf token: String? = nil) async throws -> XCTHTTPResponse {
        let query = (token ?? csrf).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await send(.POST, path + (path.contains("?") ? "&" : "?") + "_csrf=" + query,
                              headers: ["Content-Type": body.contentType], body: ByteBuffer(data: body.data))
    }

    /// A multipart upload of `file` as the form field `file` (the import form).
    func upload(_ path: String, fileName: String, file: Data) async throws -> XCTHTTPResponse {
        try await postMultipart(path, MultipartBody(files: [(fileName, file)], fileField: "file", fileType: "text/csv"))
    }

    /// The session cookie's value, for a test that sends its own requests.
    var sessionCookie: String { cookies["shegong_session"] ?? cookies["__Host-shegong_session"] ?? "" }

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
    func signIn(as grant: Grant, username: String, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let created = try await app.shegong.accounts().create(username: username, grant: grant, actor: "test")
        let first = try await login(username, created.oneTimePassword)
        XCTAssertEqual(first.headers.first(name: .location), "/account/password", file: file, line: line)
        try await send(.GET, "/account/password")
        let password = "Qz7!" + UUID().uuidString.prefix(8)
        let changed = try await send(.POST, "/account/password",
                                     form: ["currentPassword": created.oneTimePassword, "newPassword": password, "repeatPassword": password])
        XCTAssertEqual(changed.status, .seeOther, changed.body.string, file: file, line: line)
        try await send(.GET, "/account")  // the new session's CSRF token
        self.password = password
        return password
    }
}

extension Grant {
    static func nationalOfficial(_ access: Access = .readWrite) -> Grant {
        .official(region: try! RegionCode.parse(RegionPath.nationCode).get(), access: access)
    }
}
