import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Certificates and their registrations for one caller: a certificate is in sight when its
/// holder is (the person's scope, audited 404 otherwise); adding or correcting one goes through
/// the registry writer like an import's change, audited in the same transaction.
public struct CertificateService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    /// A new certificate as the client sent it; checked here, field by field.
    public struct NewCertificate: Codable, Sendable {
        public var personID: String
        public var level: String
        public var number: String
        public var issueDate: String
        public var lowScoreArea: Bool?
    }

    /// A correction: only the fields given change.
    public struct Correction: Codable, Sendable {
        public var level: String?
        public var issueDate: String?
        public var lowScoreArea: Bool?
    }

    var people: PersonService { PersonService(context: context, caller: caller) }

    /// Certificates of holders inside the caller's scope (the store's SQL condition);
    /// `regionCode` when given must lie inside it.
    public func list(_ filter: CertificateFilter, regionCode: String?) async throws -> ShegongStore.Page<CertificateListItem> {
        try await context.require(caller, PersonService.readers, "certificate")
        var filter = filter
        filter.scope = caller.scope
        filter.region = try await context.regionFilter(caller, code: regionCode)
        return try await CertificateStore(db: context.db, cipher: context.cipher).list(filter)
    }

    /// The certificate, whose holder must be inside the scope (the audited 404 otherwise).
    public func certificate(_ id: String) async throws -> CertificateListItem {
        guard let item = try await CertificateStore(db: context.db, cipher: context.cipher).get(id: id) else {
            throw StoreError.notFound(.certificate)
        }
        try await people.requireVisible(item.personID)
        return item
    }

    public func create(_ input: NewCertificate) async throws -> CertificateListItem {
        try await context.require(caller, PersonService.writers, "certificate")
        var details: [StoreError.Detail] = []
        let level = CertificateLevel(rawValue: input.level)
        if level == nil { details.append(Self.levelInvalid) }
        let number = input.number.trimmingCharacters(in: .whitespaces)
        if number.isEmpty || number.count > 50 { details.append(.init(field: "number", code: "certificate.number.invalid")) }
        let date = CivilDate(censusText: input.issueDate)
        if date == nil { details.append(.init(field: "issueDate", code: "certificate.issue_date.invalid")) }
        if let date, date > context.today { details.append(.init(field: "issueDate", code: "certificate.issue_date.future")) }
        guard details.isEmpty, let level, let date else { throw Self.invalid(details) }
        try await people.requireVisible(input.personID)
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        return try await context.audited(caller, .certificateCreate, "certificate", object: { $0.id }) { tx in
            try await CertificateStore(db: tx, cipher: cipher).add(
                personID: input.personID, certificate: CensusCertificate(level: level, number: number, issueDate: date),
                lowScoreArea: input.lowScoreArea ?? false, actor: actor, now: at)
        }
    }

    public func update(_ id: String, _ input: Correction) async throws -> CertificateListItem {
        try await context.require(caller, PersonService.writers, "certificate", id)
        var details: [StoreError.Detail] = []
        let level = input.level.flatMap(CertificateLevel.init(rawValue:))
        if input.level != nil, level == nil { details.append(Self.levelInvalid) }
        let date = input.issueDate.flatMap(CivilDate.init(censusText:))
        if input.issueDate != nil, date == nil { details.append(.init(field: "issueDate", code: "certificate.issue_date.invalid")) }
        if let date, date > context.today { details.append(.init(field: "issueDate", code: "certificate.issue_date.future")) }
        guard details.isEmpty else { throw Self.invalid(details) }
        let id = try await certificate(id).id
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        return try await context.audited(caller, .certificateUpdate, "certificate", object: { _ in id }) { tx in
            try await CertificateStore(db: tx, cipher: cipher).update(id: id, level: level, issueDate: date, lowScoreArea: input.lowScoreArea,
                                                                       actor: actor, now: at)
        }
    }

    /// A registration period (注册) of a certificate in sight, audited with the certificate.
    public func register(certificateID: String, start: CivilDate) async throws -> RegistrationInfo {
        try await context.require(caller, PersonService.writers, "certificate", certificateID)
        let id = try await certificate(certificateID).id
        let (cipher, at) = (context.cipher, context.now())
        return try await context.audited(caller, .registrationCreate, "certificate", object: { _ in id }) { tx in
            try await PersonStore(db: tx, cipher: cipher).addRegistration(certificateID: id, start: start, now: at)
        }
    }

    static var levelInvalid: StoreError.Detail {
        .init(field: "level", code: "certificate.level.invalid", CertificateLevel.allCases.map(\.rawValue).joined(separator: "、"))
    }

    static func invalid(_ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage("certificate.invalid"), details: details)
    }
}
