import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The public certificate verification (docs/pilots.md "Verification"): what a hit shows, that a
/// wrong name and a wrong number answer alike, the shared rate limit, and the audit without names.
@Suite struct VerificationServiceTests {
    static let number = "ZJ2020620902001"

    /// 欧阳晓岚 of 肃州区 holding an assistant certificate registered 2024-01-01 – 2026-12-31.
    static func holder(_ context: ServiceContext) async throws {
        let id = ResidentID.make(addressCode: "620902", birthDate: CivilDate(year: 1988, month: 5, day: 12)!, sequence: 124)!
        let record = CensusRecord(row: 1, name: "欧阳晓岚", residentID: id, regionCode: "620902",
                                  certificate: CensusCertificate(level: .assistant, number: number, issueDate: CivilDate(year: 2020, month: 8, day: 20)!))
        let store = PersonStore(db: context.db, cipher: context.cipher)
        _ = try await store.save(record, target: nil, actor: "setup", source: "test")
        let certificate: String = try await context.sql.select().column("id").from("certificates").where("number", .equal, number).first()!.decode(column: "id")
        _ = try await store.addRegistration(certificateID: certificate, start: CivilDate(year: 2024, month: 1, day: 1)!)
    }

    static func encoded(_ answer: VerificationAnswer) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(answer), as: UTF8.self)
    }

    @Test func aWrongNameAndAWrongNumberAnswerExactlyAlike() async throws {
        try await ServiceTestDatabase.with { context in
            try await Self.holder(context)
            let service = VerificationService(context: context)
            let hit = try await service.verify(number: Self.number, name: "欧阳 晓岚", address: "203.0.113.5")
            let wrongName = try await service.verify(number: Self.number, name: "欧阳晓兰", address: "203.0.113.5")
            let wrongNumber = try await service.verify(number: "ZJ2020620902999", name: "欧阳晓岚", address: "203.0.113.5")
            #expect(hit == VerificationAnswer(found: true, level: "助理社会工作师", registration: "registered", registeredUntil: "2026-12-31",
                                              maskedName: "欧**岚", regionName: "肃州区"))
            #expect(try Self.encoded(wrongName) == #"{"found":false}"#)
            #expect(try Self.encoded(wrongName) == Self.encoded(wrongNumber))
        }
    }

    @Test func theLimitIsCountedPerAddressInTheDatabaseAndOpensAgainInTheNextWindow() async throws {
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        try await ServiceTestDatabase.with(now: start) { context in
            try await Self.holder(context)
            // two server instances: two services over the same database
            let first = VerificationService(context: context, limit: 3, window: 600)
            let second = VerificationService(context: context, limit: 3, window: 600)
            _ = try await first.verify(number: Self.number, name: "欧阳晓岚", address: "198.51.100.7")
            _ = try await second.verify(number: Self.number, name: "欧阳晓岚", address: "198.51.100.7")
            _ = try await first.verify(number: "X1", name: "某人", address: "198.51.100.7")
            await #expect(throws: VerificationLimited.self) {
                try await second.verify(number: Self.number, name: "欧阳晓岚", address: "198.51.100.7")
            }
            // another address is not held back
            _ = try await first.verify(number: Self.number, name: "欧阳晓岚", address: "198.51.100.8")
            // the next window, by the injected clock
            let later = ServiceContext(db: context.db, cipher: context.cipher, auditLog: context.auditLog, writes: context.writes,
                                       now: { start.addingTimeInterval(600) })
            let answer = try await VerificationService(context: later, limit: 3, window: 600)
                .verify(number: Self.number, name: "欧阳晓岚", address: "198.51.100.7")
            #expect(answer.found)
        }
    }

    @Test func everyQueryIsAuditedWithAKeyedHashInsteadOfTheName() async throws {
        try await ServiceTestDatabase.with { context in
            try await Self.holder(context)
            let service = VerificationService(context: context)
            _ = try await service.verify(number: Self.number, name: "欧阳晓岚", address: "203.0.113.9")
            _ = try await service.verify(number: Self.number, name: "司马青云", address: "203.0.113.9")
            let entries = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "certificate.verify")).map(\.entry)
            #expect(entries.count == 2)
            for entry in entries {
                let text = [entry.actor, entry.objectID ?? "", entry.details ?? ""].joined(separator: " ")
                #expect(!text.contains("欧阳"))
                #expect(!text.contains("司马"))
                #expect(entry.ip == "203.0.113.9")
            }
            let hash = String(VerificationService.nameHash(context.cipher, "欧阳晓岚").prefix(32))
            #expect(entries.contains { $0.details == "found name_hmac=\(hash)" })
            #expect(entries.contains { $0.details?.hasPrefix("miss name_hmac=") == true })
        }
    }
}
