import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

/// What every service needs and nothing else: the database, the personal-data key, the audit log,
/// the write queue and the clock. The web application and the operator commands each make one;
/// tests make one over a database of their own.
public struct ServiceContext: Sendable {
    public let db: any Database
    public let cipher: PersonalDataCipher
    public let auditLog: AuditLog
    public let writes: WriteQueue
    public let now: @Sendable () -> Date
    /// Where reads that may be a moment old go when a standby is configured (`readDatabase`); nil:
    /// every read goes to `db`.
    public let reads: ReadRoute?
    /// This server's kept principals, told when a change raises the accounts' generation (a
    /// department renamed), so that its next request reads the change; nil for the operator
    /// commands and tests, whose changes servers see within the generation's lease.
    public let principalCache: PrincipalCache?

    public init(db: any Database, cipher: PersonalDataCipher, auditLog: AuditLog, writes: WriteQueue,
                now: @escaping @Sendable () -> Date = { Date() }, reads: ReadRoute? = nil, principalCache: PrincipalCache? = nil) {
        self.db = db
        self.cipher = cipher
        self.auditLog = auditLog
        self.writes = writes
        self.now = now
        self.reads = reads
        self.principalCache = principalCache
    }

    /// The database for the caller's reads that may be a moment old — dashboards, statistics,
    /// indicator and target views, exports (docs/deployment.md, "Reads from the standby"): the
    /// standby when one is configured, answers, and has replayed the caller's latest change; else
    /// `db`. Only such reads use it; checks of scope and permission, and every write, use `db`.
    public func readDatabase(for caller: Caller) async -> any Database {
        guard let reads else { return db }
        return await reads.database(for: caller.principal.userID)
    }

    /// After a change of the caller has committed: with a standby, the caller's reads go to the
    /// primary until the standby has replayed it (on every server). Without one, nothing.
    public func noteWrite(by caller: Caller) async {
        try? await reads?.noteWrite(by: caller.principal.userID)
    }

    public var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Today in Asia/Shanghai by the context's clock: the date an application is submitted on.
    public var today: CivilDate { CivilDate.today(now: now()) }

    public var regions: RegionStore { RegionStore(db) }
    public var people: PersonStore { PersonStore(db: db, cipher: cipher) }
}
