import ShegongDomain
import Vapor

/// Reading a request's path and query parameters, each refusal naming the parameter.
extension Request {
    /// A required path parameter.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw APIError.badRequest("request.parameter", "缺少路径参数 \(name)") }
        return value
    }

    /// An optional integer query parameter, rejected with its name when not a whole number.
    func queryInt(_ name: String, default value: Int) throws -> Int {
        guard let raw = queryValue(name), !raw.isEmpty else { return value }
        guard let number = Int(raw) else {
            let text = CatalogueMessage("api.parameter.integer", name, raw)
            throw APIError(status: .badRequest, code: "request.query", message: text.chinese,
                           details: [.init(field: name, code: "request.query", text: text)], text: text)
        }
        return number
    }

    func queryString(_ name: String) -> String? {
        guard let raw = queryValue(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }
}

extension Request {
    /// Query parameter `name` as Vapor's `query[String.self, at: name]` reads it, from the query
    /// parsed once per request (`QueryValues`). Vapor parses the whole query string again on each
    /// such call, and a list request asks for a dozen parameters: an eighth of the people list's
    /// CPU went there (docs/benchmarks.md, "What an authenticated request costs").
    func queryValue(_ name: String) -> String? {
        if let parsed = storage[QueryValuesKey.self] { return parsed.value(name) }
        let parsed = QueryValues(url.query)
        storage[QueryValuesKey.self] = parsed
        return parsed.value(name)
    }

    private struct QueryValuesKey: StorageKey { typealias Value = QueryValues }
}

/// The top-level values of a percent-encoded query, read by the rules of Vapor's
/// `URLEncodedFormParser` and `URLEncodedFormDecoder`, which `QueryValuesTests` holds it to: `+` is
/// a space, a key is percent-decoded and its `[…]` parts name nested values (not top-level ones),
/// a repeated key's last value counts, a value that does not percent-decode reads as absent, and
/// one malformed key makes the whole query unreadable.
struct QueryValues: Sendable {
    /// Each top-level key's last value, still percent-encoded.
    private let encoded: [String: String]

    init(_ query: String?) {
        encoded = Self.parse(query ?? "") ?? [:]
    }

    func value(_ name: String) -> String? {
        encoded[name]?.removingPercentEncoding
    }

    /// Vapor allows 100 levels of nesting; a deeper key fails the whole query there too.
    static let maximumKeyParts = 101

    private static func parse(_ query: String) -> [String: String]? {
        var values: [String: String] = [:]
        for pair in query.replacingOccurrences(of: "+", with: "%20").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }   // a bare word is a value without a key
            guard let key = parts[0].removingPercentEncoding else { return nil }
            let path = key.split(separator: "[")
            guard path.dropFirst().allSatisfy({ $0.last == "]" }), path.count <= maximumKeyParts else { return nil }
            guard path.count == 1, let name = path.first else { continue }   // nested, or no name
            values[String(name)] = String(parts[1])
        }
        return values
    }
}
