import Foundation

// The JSON API's own answers before a handler runs: query parameters checked against the
// endpoint's declaration, and a method the path does not have.
extension Catalogue {
    public static let apiEntries: [CatalogueEntry] = [
        .init("api.parameter.missing", "缺少参数 {0}", "The parameter {0} is missing"),
        .init("api.parameter.integer", "参数 {0} 须为整数，收到“{1}”", "The parameter {0} must be a whole number; received “{1}”"),
        .init("api.parameter.range", "参数 {0} 须在 {1}–{2} 之间，收到 {3}", "The parameter {0} must be between {1} and {2}; received {3}"),
        .init("api.parameter.boolean", "参数 {0} 须为 true 或 false，收到“{1}”", "The parameter {0} must be true or false; received “{1}”"),
        .init("api.parameter.enum", "参数 {0} 须为 {1} 之一，收到“{2}”", "The parameter {0} must be one of {1}; received “{2}”"),
        .init("api.parameter.pattern", "参数 {0} 须为 {1} 的形式，收到“{2}”", "The parameter {0} must have the form {1}; received “{2}”"),
        .init("api.method_not_allowed", "{0} 不接受 {1} 请求，只接受 {2}", "{0} does not accept {1} requests, only {2}"),
    ]
}
