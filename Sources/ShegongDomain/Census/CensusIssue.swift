import Foundation

/// One problem found in a census file. The report layer prefixes the location
/// ("第 7 行 身份证号：…"); `message` says what is wrong with the value and what is expected.
public struct CensusIssue: Codable, Equatable, Sendable {
    /// Row number as shown in Excel or a text editor (the header is row 1).
    public var row: Int
    /// The Chinese header of the column concerned; nil for whole-row and file issues.
    public var column: String?
    /// The offending value as given, cut to `CensusIssue.maximumValueLength` characters.
    public var value: String?
    /// Stable machine-readable code, e.g. `census.id.invalid`, `census.column.unknown`.
    public var code: String
    /// What is wrong and what is expected, by catalogue key (usually `code`) and arguments.
    public var text: CatalogueMessage

    /// Values longer than this are cut in reports (a pasted paragraph should not bloat them).
    public static let maximumValueLength = 100

    public init(row: Int, column: String?, value: String?, code: String, text: CatalogueMessage) {
        self.row = row
        self.column = column
        self.value = value.map { String($0.prefix(CensusIssue.maximumValueLength)) }
        self.code = code
        self.text = text
    }

    /// An issue worded by the catalogue entry of its own code.
    public init(row: Int, column: String?, value: String?, code: String, _ arguments: String...) {
        self.init(row: row, column: column, value: value, code: code, text: CatalogueMessage(code, arguments: arguments))
    }

    public init(row: Int, column: CensusColumn, value: String?, code: String, text: CatalogueMessage) {
        self.init(row: row, column: column.rawValue, value: value, code: code, text: text)
    }

    public init(row: Int, column: CensusColumn, value: String?, code: String, _ arguments: String...) {
        self.init(row: row, column: column.rawValue, value: value, code: code, text: CatalogueMessage(code, arguments: arguments))
    }

    /// Chinese, actionable: the `message` of the JSON API, the CLI and stored reports.
    public var message: String { text.chinese }

    public func message(_ language: Language) -> String { text.text(language) }
}

// The JSON shape stays `{row, column, value, code, message}` (`CatalogueMessage` codes as its Chinese text).
extension CensusIssue {
    private enum CodingKeys: String, CodingKey { case row, column, value, code, text = "message" }
}

/// `Result`'s failure type must be an `Error`; the census API reports *all* problems of a row or
/// header as `Result<_, [CensusIssue]>`, so a list of census issues is made an error. The
/// conformance is constrained to our own element type, so it cannot clash with other modules'
/// conformances of `Array`.
extension Array: @retroactive Error where Element == CensusIssue {}
