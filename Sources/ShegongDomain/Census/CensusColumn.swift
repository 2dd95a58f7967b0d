import Foundation

/// A column of the standard census template (人才信息采集表, docs/conventions.md §5). Raw values are the
/// headers exactly as the template writes them; `allCases` is the template's column order.
public enum CensusColumn: String, CaseIterable, Sendable {
    case name = "姓名"
    case residentID = "身份证号"
    case sex = "性别"
    case mobile = "手机号"
    case regionCode = "地区代码"
    case employerName = "工作单位"
    case employerCode = "统一社会信用代码"
    case postCategory = "人员类别"
    case serviceFields = "服务领域"
    case education = "最高学历"
    case socialWorkDegree = "社会工作专业"
    case certificateLevel = "证书等级"
    case certificateNumber = "证书编号"
    case issueDate = "发证日期"

    /// A file without one of these columns is rejected as a whole.
    public var isRequired: Bool {
        switch self {
        case .name, .residentID, .regionCode: return true
        default: return false
        }
    }

    /// The template's header row, as an export or a blank template writes it.
    public static var headerCells: [SpreadsheetCell] { allCases.map { .text($0.rawValue) } }

    /// The Excel column letter of a 0-based column index (0 → A, 26 → AA), for messages.
    public static func letter(ofIndex index: Int) -> String {
        var n = index + 1
        var letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}
