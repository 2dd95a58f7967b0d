import Foundation

/// Sex as the resident ID encodes it (GB 11643: odd sequence digit = male) and as the census
/// template writes it.
public enum Sex: String, CaseIterable, Codable, Sendable {
    case male = "男"
    case female = "女"

    public var englishName: String {
        switch self {
        case .male: return "male"
        case .female: return "female"
        }
    }
}
