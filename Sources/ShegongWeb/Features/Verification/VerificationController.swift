import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The public verification on this request's database, with the application's limits.
    var verification: VerificationService {
        VerificationService(context: services, limit: application.storage[VerificationLimitKey.self] ?? 20)
    }
}

/// Tests set a lower limit (`app.storage[VerificationLimitKey.self]`); production uses the default.
struct VerificationLimitKey: StorageKey { typealias Value = Int }

/// The certificate check anyone may use: `POST /api/v1/certificate-verifications` and the page
/// `/verify` (a POST form with the pre-login CSRF token, as the login form: the name and number
/// never appear in an address, a log line or the browser history).
struct VerificationController: RouteCollection {
    struct Query: Content {
        var certificateNumber: String
        var name: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.certificateVerify) { req in
            let query = try req.content.decode(Query.self)
            do {
                return try JSONResponse.make(try await req.verification.verify(number: query.certificateNumber, name: query.name, address: req.clientIP))
            } catch let limited as VerificationLimited {
                let response = try JSONResponse.make(APIErrorBody(error: .init(code: "verify.rate_limited",
                    message: Catalogue.text("verify.limited", .zhHans, String(limited.retryAfter)), details: [])), status: .tooManyRequests)
                response.headers.replaceOrAdd(name: .retryAfter, value: String(limited.retryAfter))
                return response
            }
        }
        routes.get("verify") { req async throws -> Response in
            Self.page(req, model: VerificationModel(csrf: Self.token(req)))
        }
        routes.post("verify") { req async throws -> Response in
            guard CSRF.isValid(req) else {
                try await CSRF.auditRejection(req)
                return Self.page(req, model: VerificationModel(csrf: Self.token(req), message: Catalogue.text("form.csrf", req.language)),
                                 status: .forbidden)
            }
            let number = (try? req.content.get(String.self, at: "certificateNumber")) ?? ""
            let name = (try? req.content.get(String.self, at: "name")) ?? ""
            var model = VerificationModel(csrf: Self.token(req))
            do {
                model.answer = try await req.verification.verify(number: number, name: name, address: req.clientIP)
            } catch let limited as VerificationLimited {
                model.message = Catalogue.text("verify.limited", req.language, String(limited.retryAfter))
                let response = Self.page(req, model: model, status: .tooManyRequests)
                response.headers.replaceOrAdd(name: .retryAfter, value: String(limited.retryAfter))
                return response
            } catch let error as StoreError where error.kind == .invalid {
                model.errors = error.fieldMessages(req.language, fallback: "certificateNumber")
                return Self.page(req, model: model, status: .unprocessableEntity)
            }
            return Self.page(req, model: model)
        }
    }

    /// The session's token when signed in, else the pre-login one (its cookie set on the answer).
    static func token(_ req: Request) -> String { req.sessionToken != nil ? CSRF.token(for: req) : CSRF.preSessionToken(req) }

    static func page(_ req: Request, model: VerificationModel, status: HTTPResponseStatus = .ok) -> Response {
        let language = req.language
        let response = WebPage.document(language: language, title: Catalogue.text("verify.title", language), status: status,
                                        body: VerificationView.page(model, language))
        CSRF.attachCookie(req, to: response)
        return response
    }
}

/// What the verification page shows: the answer or a message. Neither the number nor the name is
/// written back into the form, so a miss for a wrong number and one for a wrong name are the same page.
struct VerificationModel {
    var csrf: String
    var answer: VerificationAnswer?
    var message: String?
    var errors: [String: String] = [:]
}

enum VerificationView {
    static func page(_ model: VerificationModel, _ language: Language) -> Node {
        let t = Catalogue.standard.texts(language)
        let other: Language = language == .zhHans ? .en : .zhHans
        return .main(.id("content"), .class("login"),
                     .h1(.text(t("verify.title"))),
                     .p(.class("muted"), .text(t("verify.intro"))),
                     .unwrap(model.message) { .notice($0, .error) },
                     .unwrap(model.answer) { answer in result(answer, t) },
                     .form(.method("post"), .action("/verify"), .class("stack"),
                           .input(.type("hidden"), .name(CSRF.field), .value(model.csrf)),
                           Field.input(t("verify.number"), name: "certificateNumber", error: model.errors["certificateNumber"],
                                       required: true, autocomplete: "off"),
                           Field.input(t("verify.name"), name: "name", error: model.errors["name"], required: true, autocomplete: "off"),
                           .button(.type("submit"), .text(t("verify.submit")))),
                     .p(.class("muted"), .a(.href("/lang?to=\(other.tag)&back=%2Fverify"), .lang(other.tag), .text(other.nativeName)),
                        .text(" · "), .a(.href("/login"), .text(t("verify.login_link")))))
    }

    static func result(_ answer: VerificationAnswer, _ t: LocalizedTexts) -> Node {
        guard answer.found else { return .p(.class("alert", "warn"), .id("verify-result"), .role("status"), .text(t("verify.miss"))) }
        let level = answer.level.flatMap(CertificateLevel.init(rawValue:))
        let levelText = level.map { t.language == .zhHans ? $0.rawValue : $0.englishName } ?? (answer.level ?? "")
        let registration: String = switch answer.registration {
        case "registered": t("verify.registered_until", answer.registeredUntil ?? "")
        case "expired": t("verify.expired")
        default: t("verify.not_registered")
        }
        return .section(.id("verify-result"), .class("alert", "ok"), .role("status"),
                        .p(.strong(.text(t("verify.found")))),
                        .dl(.class("facts"),
                            .dt(.text(t("verify.holder"))), .dd(.text(answer.maskedName ?? "")),
                            .dt(.text(t("verify.level"))), .dd(.text(levelText)),
                            .dt(.text(t("verify.registration"))), .dd(.text(registration)),
                            .dt(.text(t("verify.region"))), .dd(.text(answer.regionName ?? ""))))
    }
}
