import Foundation
import ShegongDomain
import ShegongStore

/// An organisation or a person an account may act for, as the account form offers it: the record
/// id (the value the form posts), the name, what tells two of one name apart (the organisation's
/// credit code, the person's masked ID number), and the region by name.
public struct AccountHolderChoice: Sendable, Equatable {
    public var id: String
    public var name: String
    public var detail: String?
    public var regionName: String?
}

public extension AuditAction {
    /// An administrator's search for an account's organisation or person: the administrators hold
    /// no business data, so each look into the registry is on record (the words searched; an ID
    /// number as `idNumber=…`, never its value).
    static let accountHolderSearch: AuditAction = "account.holder_search"
}

extension AccountService {
    /// At most this many matches are offered; a longer list asks for a narrower search.
    public static let holderChoicesLimit = 20

    /// The organisations an organisation manager's account may be given, for the administrators
    /// who request and grant accounts: those whose name holds the words of `search` (or whose
    /// credit code it is), by name, and the `selected` one first when it is not among them. No
    /// search, no list (the registry may hold hundreds of thousands).
    public func organizationChoices(search: String?, selected: String?) async throws -> [AccountHolderChoice] {
        try await context.require(caller, Self.readers, "organization")
        let store = OrganizationStore(db: context.db)
        var found: [OrganizationInfo] = []
        if let selected = selected?.trimmingCharacters(in: .whitespaces), !selected.isEmpty, let chosen = try await store.get(id: selected) {
            found.append(chosen)
        }
        if let words = Self.cleaned(search) {
            try await context.record(caller, .accountHolderSearch, "organization", nil, details: "name=\(words)")
            if case .success(let code) = SocialCreditCode.parse(words.uppercased()) {
                if let match = try await store.get(creditCode: code.value) { found.append(match) }
            } else {
                found += try await store.list(region: nil, name: words, page: 1, perPage: Self.holderChoicesLimit).items
            }
        }
        let unique = Self.unique(found, id: \.id)
        let regions = try await context.regions.regions(codes: unique.compactMap(\.regionCode))
        return unique.map { AccountHolderChoice(id: $0.id, name: $0.name, detail: $0.creditCode, regionName: $0.regionCode.flatMap { regions[$0]?.name }) }
    }

    /// The people a social worker's account may be given: those whose name starts with `search`
    /// (or whose ID number it is), by name, with masked ID numbers, and the `selected` one first
    /// when it is not among them. No search, no list.
    public func personChoices(search: String?, selected: String?) async throws -> [AccountHolderChoice] {
        try await context.require(caller, Self.readers, "person")
        let store = context.people
        var found: [PersonSummary] = []
        if let selected = selected?.trimmingCharacters(in: .whitespaces), !selected.isEmpty, let chosen = try await store.summary(id: selected) {
            found.append(chosen)
        }
        if let words = Self.cleaned(search) {
            var filter = PersonFilter()
            if case .success = ResidentID.parse(words) { filter.idNumber = words } else { filter.name = words }
            try await context.record(caller, .accountHolderSearch, "person", nil, details: filter.idNumber == nil ? "name=\(words)" : "idNumber=…")
            filter.perPage = Self.holderChoicesLimit
            found += try await store.list(filter).items
        }
        let unique = Self.unique(found, id: \.id)
        let regions = try await context.regions.regions(codes: unique.map(\.regionCode))
        return unique.map { AccountHolderChoice(id: $0.id, name: $0.name, detail: $0.idNumber, regionName: regions[$0.regionCode]?.name) }
    }

    static func cleaned(_ search: String?) -> String? {
        guard let text = search?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return String(text.prefix(50))
    }

    static func unique<T>(_ items: [T], id: KeyPath<T, String>) -> [T] {
        var seen = Set<String>()
        return items.filter { seen.insert($0[keyPath: id]).inserted }
    }
}
