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
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return value }
        guard let number = Int(raw) else { throw APIError.badRequest("request.query", "参数 \(name) 须为整数，收到 \(raw)", field: name) }
        return number
    }

    func queryString(_ name: String) -> String? {
        guard let raw = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }
}
