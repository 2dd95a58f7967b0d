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

    public init(db: any Database, cipher: PersonalDataCipher, auditLog: AuditLog, writes: WriteQueue,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.auditLog = auditLog
        self.writes = writes
        self.now = now
    }

    public var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Today in Asia/Shanghai by the context's clock: the date an application is submitted on.
    public var today: CivilDate { CivilDate.today(now: now()) }

    public var regions: RegionStore { RegionStore(db) }
    public var people: PersonStore { PersonStore(db: db, cipher: cipher) }
}
