import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// What the database holds about a certificate number, for the public verification: the holder's
/// name (compared by the service, never returned), level, registration periods and region name.
public struct CertificateFacts: Sendable {
    public var level: String
    public var holderName: String
    public var regionName: String?
    public var registrations: [(start: CivilDate, end: CivilDate)]
}

/// The SQL of the public certificate verification (docs/pilots.md "Verification"): one lookup by
/// number, the registration periods (only `certificate_id`, `period_start`, `period_end` are
/// read), and the per-address windowed counters of the rate limit, shared by every server
/// instance on the database.
public struct VerificationStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// The certificate of `number`, or nil. The same statements run whether or not it exists
    /// (the registration read with an id that matches nothing), so a miss takes the same work.
    public func facts(number: String) async throws -> CertificateFacts? {
        let row = try await db.sql.raw("""
            SELECT c.id, c.level, p.name, r.name AS region_name FROM certificates c JOIN people p ON p.id = c.person_id
            LEFT JOIN regions r ON r.code = COALESCE(p.county_code, p.region_code)
            WHERE c.number = \(bind: number)
            """).first()
        let id: String = try row?.decode(column: "id") ?? ""
        let periods = try await db.sql.raw("""
            SELECT period_start, period_end FROM registrations WHERE certificate_id = \(bind: id)
            """).all().compactMap { row -> (start: CivilDate, end: CivilDate)? in
                guard let start = CivilDate(censusText: try row.decode(column: "period_start")),
                      let end = CivilDate(censusText: try row.decode(column: "period_end")) else { return nil }
                return (start, end)
            }
        guard let row else { return nil }
        return CertificateFacts(level: try row.decode(column: "level"), holderName: try row.decode(column: "name"),
                                regionName: try row.decode(column: "region_name"), registrations: periods)
    }

    /// Counts one query of `addressKey` in the window starting at `window` and returns the count
    /// so far, in one transaction of the caller's; windows older than `expired` are dropped.
    public func count(addressKey: String, window: String, expired: String) async throws -> Int {
        try await db.sql.raw("DELETE FROM verification_counters WHERE window_start < \(bind: expired)").run()
        try await db.sql.raw("""
            INSERT INTO verification_counters (address_key, window_start, hits) VALUES (\(bind: addressKey), \(bind: window), 1)
            ON CONFLICT (address_key, window_start) DO UPDATE SET hits = verification_counters.hits + 1
            """).run()
        return try await db.sql.raw("""
            SELECT hits FROM verification_counters WHERE address_key = \(bind: addressKey) AND window_start = \(bind: window)
            """).first()?.decode(column: "hits", as: Int.self) ?? 0
    }
}
