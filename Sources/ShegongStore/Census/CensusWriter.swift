import Foundation
import SQLKit
import ShegongDomain

/// Writes validated census records into the registry inside the caller's transaction: creates
/// people, updates them by ID number, keeps field history, employment, certificates, and the
/// census aggregates. Used by the census import, the demo and the people API alike.
/// A class so that an import can write one batch on another task while it prepares the next:
/// `prepare` reads and builds on the caller's task, `write` only sends what a prepared batch holds,
/// and a prepare calls its `beforeReading` (the importer: wait for the batch in flight) before it
/// runs a statement, so it reads what every earlier batch wrote (`CensusImporter`).
final class CensusWriter: @unchecked Sendable {
    enum Outcome: Equatable {
        case created(personID: String)
        case updated(personID: String)
        case unchanged(personID: String)
        case rejected([CensusIssue])
    }

    let sql: any SQLDatabase
    let cipher: PersonalDataCipher
    let regions: RegionDirectory
    let now: Date
    let today: CivilDate
    let actor: String
    let source: String
    /// PostgreSQL: changed people and ended posts are written with one statement per batch.
    let setBased: Bool
    /// The first day of posts opened by this write (default today). A first census of people
    /// long in post may state an earlier date; allowances count months in post from it.
    var postsSince: CivilDate
    /// The writer's scope (nil: no limit). A record is rejected when the person as stored or as
    /// written would lie outside it: an official cannot move someone into or out of their region,
    /// an organisation manager cannot add or take staff of another employer.
    var scope: Scope?
    private(set) var stats = CensusStatsDelta()
    /// Whether `apply` keeps, per person created or updated, what it changed (a dry run's list).
    var collectChanges = false
    /// What the batches applied so far changed, when `collectChanges`; the importer takes them.
    var changes: [CensusImportChange] = []
    private var organizations: [String: String] = [:]   // "code:USCC" / "name:NAME" → organisation id
    private var organizationKinds: [String: String] = [:]   // organisation id → kind, for those with one
    /// Set by an import that found no one in the registry when it began: no row of it can then
    /// match a person or a certificate on file (repeats within the file are rejected before they
    /// reach the writer), so batches are prepared without reading `people` or `certificates`, and
    /// the next batch is built while the database is still writing the last.
    var registryWasEmpty = false

    init(sql: any SQLDatabase, cipher: PersonalDataCipher, regions: RegionDirectory, now: Date, actor: String, source: String) {
        self.sql = sql
        self.cipher = cipher
        self.regions = regions
        self.now = now
        self.today = CivilDate.today(now: now)
        self.actor = actor
        self.source = source
        self.postsSince = CivilDate.today(now: now)
        self.setBased = BulkInsert.usesCopy(sql)
    }

    func flushStats() async throws {
        try await stats.flush(to: sql, regions: regions)
    }

    /// Applies a batch. `target` (for the people API's update) names the person to change even if
    /// the record carries a corrected ID number.
    func apply(_ records: [CensusRecord], target: String? = nil) async throws -> [Outcome] {
        let batch = try await prepare(records, target: target)
        try await write(batch)
        return batch.outcomes
    }

    /// A batch decided and built, not yet sent: its outcomes and the rows `write` sends.
    struct PreparedBatch: Sendable {
        var outcomes: [Outcome]
        var stamp: String
        var staged: [StagedUpdate] = []
        var people: [[any Encodable & Sendable]] = []
        var employments: [[any Encodable & Sendable]] = []
        var certificates: [[any Encodable & Sendable]] = []
        var changes: [[any Encodable & Sendable]] = []
    }

    /// A certificate on file, by its number.
    typealias CertificateOnFile = (personID: String, level: String, issueDate: String, id: String)

    /// What a batch reads before it decides anything: the people on file it names, by ID index;
    /// the certificates on file with its numbers; per person on file the highest level held and
    /// the first issue date (certificates not named in the batch count too); and, for a dry run's
    /// list, their employers' names (never ids: a new employer's id is rolled back with the run).
    struct OnFile {
        var people: [String: StoredPerson] = [:]
        var certificates: [String: CertificateOnFile] = [:]
        var heldLevels: [String: Int] = [:]
        var firstIssued: [String: String] = [:]
        var employerNames: [String: String] = [:]
    }

    /// One column a person's update sets: `field` names it in the history and the dry run's list,
    /// empty for the columns that only follow another (as `id_cipher` follows `id_number`).
    struct FieldChange {
        var field: String
        var column: String
        var before: String?
        var after: String?
        var value: any Encodable & Sendable
    }


    /// Decides what a batch does to the registry and builds its rows; statistics and a dry run's
    /// change list are counted here. `beforeReading` is awaited before any statement is run.
    func prepare(_ records: [CensusRecord], target: String? = nil,
                 beforeReading: () async throws -> Void = {}) async throws -> PreparedBatch {
        var batch = PreparedBatch(outcomes: [], stamp: Timestamp.string(now))
        let idIndexes = records.map { cipher.index($0.residentID.value) }
        guard var onFile = try await readOnFile(records, idIndexes: idIndexes, target: target, beforeReading: beforeReading) else {
            // The people API corrects an ID number to one that belongs to someone else.
            batch.outcomes = [.rejected([CensusIssue(row: records[0].row, column: .residentID, value: records[0].residentID.masked,
                                                     code: "census.id.taken")])]
            return batch
        }
        for (i, record) in records.enumerated() {
            let organizationID = organizationKey(record).flatMap { organizations[$0] }
            let path = regions[record.regionCode]?.path ?? RegionPath()
            let stored = onFile.people[idIndexes[i]]
            if let issue = refusal(of: record, path: path, organizationID: organizationID, stored: stored, onFile: onFile) {
                batch.outcomes.append(.rejected([issue]))
            } else if let stored {
                try await addUpdate(of: stored, to: record, idIndex: idIndexes[i], path: path, organizationID: organizationID,
                                    onFile: &onFile, into: &batch)
            } else {
                try addPerson(record, idIndex: idIndexes[i], path: path, organizationID: organizationID, onFile: &onFile, into: &batch)
            }
        }
        return batch
    }

    /// Reads `OnFile` for a batch, and resolves its employers; nil when `target`'s corrected ID
    /// number is another person's.
    func readOnFile(_ records: [CensusRecord], idIndexes: [String], target: String?,
                    beforeReading: () async throws -> Void) async throws -> OnFile? {
        var onFile = OnFile()
        let readsRegistry = target != nil || !registryWasEmpty
        if readsRegistry {
            try await beforeReading()
            var query = sql.select().columns(StoredPerson.columns).from("people")
            if let target {
                query = query.where("id", .equal, target)
            } else {
                query = query.where("id_index", .in, idIndexes)
            }
            for row in try await query.all() {
                let person = try StoredPerson(row: row)
                onFile.people[target == nil ? person.idIndex : idIndexes[0]] = person
            }
        }
        if let target, onFile.people.isEmpty { throw StoreError.notFound(.person, target) }
        if target != nil, let person = onFile.people[idIndexes[0]], person.idIndex != idIndexes[0],
           try await sql.select().column("id").from("people").where("id_index", .equal, idIndexes[0]).first() != nil {
            return nil
        }
        let numbers = readsRegistry ? records.compactMap { $0.certificate?.number } : []
        if !numbers.isEmpty {
            for row in try await sql.select().columns("id", "number", "person_id", "level", "issue_date").from("certificates")
                .where("number", .in, numbers).all() {
                onFile.certificates[try row.decode(column: "number")] = (try row.decode(column: "person_id"), try row.decode(column: "level"),
                                                                         try row.decode(column: "issue_date"), try row.decode(column: "id"))
            }
        }
        let existingIDs = onFile.people.values.map(\.id)
        if !existingIDs.isEmpty {
            for row in try await sql.select().columns("person_id", "level", "issue_date").from("certificates").where("person_id", .in, existingIDs).all() {
                let rank = CertificateLevel(rawValue: try row.decode(column: "level"))?.rank ?? 0
                let pid: String = try row.decode(column: "person_id")
                let issued: String = try row.decode(column: "issue_date")
                onFile.heldLevels[pid] = max(onFile.heldLevels[pid] ?? 0, rank)
                onFile.firstIssued[pid] = min(onFile.firstIssued[pid] ?? issued, issued)
            }
        }
        try await resolveOrganizations(records, beforeReading: beforeReading)
        try await loadKinds(of: onFile.people.values.compactMap(\.organizationID))
        let employers = Array(Set(onFile.people.values.compactMap(\.organizationID)))
        if collectChanges, !employers.isEmpty {
            for row in try await sql.select().columns("id", "name").from("organizations").where("id", .in, employers).all() {
                onFile.employerNames[try row.decode(column: "id")] = try row.decode(column: "name", as: String.self)
            }
        }
        return onFile
    }

    /// Why a row cannot be written, if it cannot: the person (as stored or as written) outside
    /// the writer's scope, or a certificate number that is someone else's.
    func refusal(of record: CensusRecord, path: RegionPath, organizationID: String?, stored: StoredPerson?, onFile: OnFile) -> CensusIssue? {
        if let scope, let issue = scopeIssue(scope, record: record, path: path, organizationID: organizationID, stored: stored) {
            return issue
        }
        if let cert = record.certificate, let owner = onFile.certificates[cert.number], stored?.id != owner.personID {
            return CensusIssue(row: record.row, column: .certificateNumber, value: cert.number, code: "census.certificate.taken", "\(cert.number)")
        }
        return nil
    }

    /// The employer as the file names it, for a dry run's list.
    static func employer(of record: CensusRecord) -> String? { record.employerName ?? record.employerCode?.value }

    /// A new person: their row, post, certificate and history entry; counted in the statistics.
    func addPerson(_ record: CensusRecord, idIndex: String, path: RegionPath, organizationID: String?,
                   onFile: inout OnFile, into batch: inout PreparedBatch) throws {
        let personID = RecordID.make()
        let stamp = batch.stamp
        batch.people.append([
            personID, idIndex, try cipher.seal(record.residentID.value), record.residentID.masked,
            record.name, record.sex.rawValue, record.residentID.birthDate.description,
            record.mobile.map { cipher.index($0.value) }, try record.mobile.map { try cipher.seal($0.value) }, record.mobile?.masked,
            record.regionCode, path.province, path.city, path.county, path.township,
            organizationID, record.postCategory?.rawValue, record.serviceFields.stored,
            record.education?.rawValue, record.socialWorkDegree, record.certificate?.level.rawValue,
            record.certificate?.issueDate.description, stamp, stamp, 1,
        ])
        if organizationID != nil || record.postCategory != nil {
            batch.employments.append([RecordID.make(), personID, organizationID, record.postCategory?.rawValue,
                                      postsSince.description, nil as String?])
        }
        if let cert = record.certificate {
            batch.certificates.append([RecordID.make(), personID, cert.level.rawValue, cert.number, cert.issueDate.description, false, stamp])
            onFile.certificates[cert.number] = (personID, cert.level.rawValue, cert.issueDate.description, "")
        }
        batch.changes.append([personID, stamp, actor, source, "record", nil as String?, "created"])
        if collectChanges {
            let values: [(String, String?)] = [
                ("region_code", record.regionCode), ("organization", Self.employer(of: record)),
                ("post_category", record.postCategory?.rawValue), ("service_fields", record.serviceFields.stored),
                ("education", record.education?.rawValue), ("certificate_level", record.certificate?.level.rawValue),
            ]
            changes.append(CensusImportChange(row: record.row, kind: .created, name: record.name, idNumber: record.residentID.masked,
                                              fields: values.compactMap { field, value in
                                                  value.flatMap { $0.isEmpty ? nil : CensusImportChange.Field(field: field, before: nil, after: $0) }
                                              }))
        }
        stats.add(Self.facts(record, level: record.certificate?.level, firstCertified: record.certificate?.issueDate.description,
                             employerKind: organizationID.flatMap { organizationKinds[$0] }),
                  region: record.regionCode, sign: 1)
        batch.outcomes.append(.created(personID: personID))
    }

    /// The columns of `person` that `record` changes, except the certificate's.
    func fieldChanges(of person: StoredPerson, to record: CensusRecord, idIndex: String, path: RegionPath,
                      organizationID: String?) throws -> [FieldChange] {
        var changes: [FieldChange] = []
        func compare(_ field: String, _ column: String, _ before: String?, _ after: String?, value: (any Encodable & Sendable)? = nil) {
            if before != after { changes.append(FieldChange(field: field, column: column, before: before, after: after, value: value ?? after)) }
        }
        func follow(_ column: String, _ value: any Encodable & Sendable) {
            changes.append(FieldChange(field: "", column: column, value: value))
        }
        compare("name", "name", person.name, record.name)
        if person.idIndex != idIndex {
            changes.append(FieldChange(field: "id_number", column: "id_index", before: nil, after: record.residentID.masked, value: idIndex))
            follow("id_cipher", try cipher.seal(record.residentID.value))
            follow("id_masked", record.residentID.masked)
            follow("sex", record.sex.rawValue)
            follow("birth_date", record.residentID.birthDate.description)
        }
        let mobileIndex = record.mobile.map { cipher.index($0.value) }
        if person.mobileIndex != mobileIndex {
            changes.append(FieldChange(field: "mobile", column: "mobile_index", before: person.mobileMasked, after: record.mobile?.masked, value: mobileIndex))
            follow("mobile_cipher", try record.mobile.map { try cipher.seal($0.value) })
            follow("mobile_masked", record.mobile?.masked)
        }
        if person.regionCode != record.regionCode {
            compare("region_code", "region_code", person.regionCode, record.regionCode)
            follow("province_code", path.province)
            follow("city_code", path.city)
            follow("county_code", path.county)
            follow("township_code", path.township)
        }
        compare("organization", "organization_id", person.organizationID, organizationID)
        compare("post_category", "post_category", person.postCategory, record.postCategory?.rawValue)
        compare("service_fields", "service_fields", person.serviceFields, record.serviceFields.stored)
        compare("education", "education", person.education, record.education?.rawValue)
        compare("social_work_degree", "social_work_degree", person.socialWorkDegree.map { $0 ? "是" : "否" },
                record.socialWorkDegree.map { $0 ? "是" : "否" }, value: record.socialWorkDegree)
        return changes
    }

    /// The certificate `record` names, added to `person` or corrected on file (an import never
    /// removes one: a row saying 无 does not erase a certificate), with its history entry; returns
    /// whether it changed and the highest level and first issue date the person then holds.
    func certificateChange(of person: StoredPerson, to record: CensusRecord, onFile: inout OnFile,
                           into batch: inout PreparedBatch) async throws -> (changed: Bool, level: CertificateLevel?, firstIssued: String?) {
        var level = onFile.heldLevels[person.id] ?? 0
        var first = onFile.firstIssued[person.id]
        guard let cert = record.certificate else { return (false, CertificateLevel.allCases.first { $0.rank == level }, first) }
        let named = "\(cert.level.rawValue) \(cert.issueDate) \(cert.number)"
        if let held = onFile.certificates[cert.number] {
            guard held.level != cert.level.rawValue || held.issueDate != cert.issueDate.description else {
                return (false, CertificateLevel.allCases.first { $0.rank == level }, first)
            }
            try await sql.update("certificates").set("level", to: cert.level.rawValue)
                .set("issue_date", to: cert.issueDate.description).where("number", .equal, cert.number).run()
            batch.changes.append([person.id, batch.stamp, actor, source, "certificate", "\(held.level) \(held.issueDate)", named])
            // A corrected level may lower the highest one held: counted again from the table.
            level = 0
            first = nil
            for row in try await sql.select().columns("level", "issue_date").from("certificates").where("person_id", .equal, person.id).all() {
                level = max(level, CertificateLevel(rawValue: try row.decode(column: "level"))?.rank ?? 0)
                let issued: String = try row.decode(column: "issue_date")
                first = min(first ?? issued, issued)
            }
        } else {
            batch.certificates.append([RecordID.make(), person.id, cert.level.rawValue, cert.number, cert.issueDate.description, false, batch.stamp])
            onFile.certificates[cert.number] = (person.id, cert.level.rawValue, cert.issueDate.description, "")
            batch.changes.append([person.id, batch.stamp, actor, source, "certificate", nil as String?, named])
            level = max(level, cert.level.rank)
            first = min(first ?? cert.issueDate.description, cert.issueDate.description)
        }
        return (true, CertificateLevel.allCases.first { $0.rank == level }, first)
    }

    /// An existing person changed by `record`: the columns that differ, their history, a new post
    /// when the employer or post category changed, the statistics moved from the old facts to the
    /// new; unchanged when nothing differs.
    func addUpdate(of person: StoredPerson, to record: CensusRecord, idIndex: String, path: RegionPath, organizationID: String?,
                   onFile: inout OnFile, into batch: inout PreparedBatch) async throws {
        var changes = try fieldChanges(of: person, to: record, idIndex: idIndex, path: path, organizationID: organizationID)
        let employmentChanged = person.organizationID != organizationID || person.postCategory != record.postCategory?.rawValue
        let certificate = try await certificateChange(of: person, to: record, onFile: &onFile, into: &batch)
        if person.certificateLevel != certificate.level?.rawValue {
            changes.append(FieldChange(field: "certificate_level", column: "certificate_level", before: person.certificateLevel,
                                       after: certificate.level?.rawValue, value: certificate.level?.rawValue))
        }
        if certificate.firstIssued != person.firstCertifiedOn {
            changes.append(FieldChange(field: "", column: "first_certified_on", value: certificate.firstIssued))
        }
        guard !changes.isEmpty || certificate.changed else {
            batch.outcomes.append(.unchanged(personID: person.id))
            return
        }
        if collectChanges { noteUpdate(record, changes, certificateChanged: certificate.changed, onFile: onFile) }
        if setBased && (!changes.isEmpty || employmentChanged) {
            batch.staged.append(StagedUpdate(personID: person.id, version: person.version + 1,
                                             changes: changes.map { ($0.column, $0.value) }, endsEmployment: employmentChanged))
        }
        if !changes.isEmpty {
            if !setBased {
                var update = sql.update("people").set("updated_at", to: batch.stamp).set("version", to: person.version + 1)
                for change in changes { update = update.set(change.column, to: change.value) }
                try await update.where("id", .equal, person.id).run()
            }
            for change in changes where !change.field.isEmpty {
                batch.changes.append([person.id, batch.stamp, actor, source, change.field, change.before, change.after])
            }
        }
        if employmentChanged {
            if !setBased {
                try await sql.update("employments").set("end_date", to: today.description)
                    .where("person_id", .equal, person.id).where("end_date", .is, SQLLiteral.null).run()
            }
            if organizationID != nil || record.postCategory != nil {
                batch.employments.append([RecordID.make(), person.id, organizationID, record.postCategory?.rawValue, today.description, nil as String?])
            }
        }
        stats.add(person.facts(employerKind: person.organizationID.flatMap { organizationKinds[$0] }), region: person.regionCode, sign: -1)
        stats.add(Self.facts(record, level: certificate.level, firstCertified: certificate.firstIssued,
                             employerKind: organizationID.flatMap { organizationKinds[$0] }),
                  region: record.regionCode, sign: 1)
        batch.outcomes.append(.updated(personID: person.id))
    }

    /// A dry run's entry for an update: each named field before and after, employers by name.
    func noteUpdate(_ record: CensusRecord, _ fieldChanges: [FieldChange], certificateChanged: Bool, onFile: OnFile) {
        var fields = fieldChanges.filter { !$0.field.isEmpty }.map { change in
            change.field == "organization"
                ? CensusImportChange.Field(field: "organization", before: change.before.flatMap { onFile.employerNames[$0] }, after: Self.employer(of: record))
                : CensusImportChange.Field(field: change.field, before: change.before, after: change.after)
        }
        if certificateChanged, let cert = record.certificate {
            fields.append(.init(field: "certificate", before: nil, after: "\(cert.level.rawValue) \(cert.issueDate) \(cert.number)"))
        }
        changes.append(CensusImportChange(row: record.row, kind: .updated, name: record.name, idNumber: record.residentID.masked, fields: fields))
    }

    /// Sends a prepared batch. Reads only the batch, so it may run while the next one is prepared.
    func write(_ batch: PreparedBatch) async throws {
        // Posts are ended before the batch's new ones are written, as the statements of `prepare` do.
        try await applyStaged(batch.staged, stamp: batch.stamp)
        try await sql.bulkInsert(into: "people", columns: Self.peopleColumns, rows: batch.people)
        try await sql.bulkInsert(into: "employments",
                                 columns: ["id", "person_id", "organization_id", "post_category", "start_date", "end_date"],
                                 rows: batch.employments)
        try await sql.bulkInsert(into: "certificates",
                                 columns: ["id", "person_id", "level", "number", "issue_date", "low_score_area", "created_at"],
                                 rows: batch.certificates)
        try await sql.bulkInsert(into: "person_changes",
                                 columns: ["person_id", "changed_at", "actor", "source", "field", "before", "after"],
                                 rows: batch.changes)
    }

    static let peopleColumns = [
        "id", "id_index", "id_cipher", "id_masked", "name", "sex", "birth_date", "mobile_index", "mobile_cipher", "mobile_masked",
        "region_code", "province_code", "city_code", "county_code", "township_code",
        "organization_id", "post_category", "service_fields", "education", "social_work_degree", "certificate_level",
        "first_certified_on", "created_at", "updated_at", "version",
    ]

    /// One changed person of a batch, written with the others by `applyStaged` (PostgreSQL).
    struct StagedUpdate: Sendable {
        var personID: String
        var version: Int
        /// The columns this person's update sets, with their new values (`updatableColumns` only).
        var changes: [(column: String, value: any Encodable & Sendable)]
        /// The person's open posts end today (employer or post category changed).
        var endsEmployment: Bool
    }

    /// The columns of `people` an import may change, in the order of the staging table's bits.
    static let updatableColumns = [
        "name", "id_index", "id_cipher", "id_masked", "sex", "birth_date", "mobile_index", "mobile_cipher", "mobile_masked",
        "region_code", "province_code", "city_code", "county_code", "township_code",
        "organization_id", "post_category", "service_fields", "education", "social_work_degree", "certificate_level", "first_certified_on",
    ]

    static let stagingTable = "census_people_updates"

    /// A change to a column missing from `updatableColumns` (a mistake in this file, never the data's).
    struct UnstagedColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "census update of people.\(column), which is not in CensusWriter.updatableColumns" }
    }

    /// Writes a batch's changed people with one UPDATE and ends their posts with another: the
    /// changes go by COPY into a temporary table of this transaction (dropped at its end), which
    /// carries each person's new values and a bit per column saying which of them to set. The
    /// outcome is that of one `UPDATE people … WHERE id = ?` per person and one
    /// `UPDATE employments SET end_date …` per person whose post changed.
    private func applyStaged(_ staged: [StagedUpdate], stamp: String) async throws {
        guard !staged.isEmpty else { return }
        let columns = Self.updatableColumns
        let table = Self.stagingTable
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(staged.count)
        for update in staged {
            var values: [any Encodable & Sendable] = Array(repeating: nil as String?, count: columns.count)
            var mask = 0
            for change in update.changes {
                guard let bit = columns.firstIndex(of: change.column) else { throw UnstagedColumn(column: change.column) }
                values[bit] = change.value
                mask |= 1 << bit
            }
            rows.append([update.personID, update.version, stamp] + values + [mask, update.endsEmployment])
        }
        try await sql.raw("""
            CREATE TEMPORARY TABLE IF NOT EXISTS \(ident: table) ON COMMIT DROP AS
            SELECT id, version, updated_at, \(idents: columns, joinedBy: ", "), 0 AS changed, false AS ends_employment
            FROM people WITH NO DATA
            """).run()
        try await sql.bulkInsert(into: table, columns: ["id", "version", "updated_at"] + columns + ["changed", "ends_employment"], rows: rows)
        let assignments: [SQLQueryString] = columns.enumerated().map { bit, column in
            "\(ident: column) = CASE WHEN (s.changed & \(literal: 1 << bit)) <> 0 THEN s.\(ident: column) ELSE p.\(ident: column) END"
        }
        try await sql.raw("""
            UPDATE people AS p SET version = s.version, updated_at = s.updated_at, \(assignments.joined(separator: ", "))
            FROM \(ident: table) AS s WHERE p.id = s.id AND s.changed <> 0
            """).run()
        if staged.contains(where: \.endsEmployment) {
            try await sql.raw("""
                UPDATE employments SET end_date = \(bind: today.description)
                WHERE end_date IS NULL AND person_id IN (SELECT id FROM \(ident: table) WHERE ends_employment)
                """).run()
        }
        try await sql.raw("TRUNCATE \(ident: table)").run()
    }

    static func facts(_ record: CensusRecord, level: CertificateLevel?, firstCertified: String?, employerKind: String?) -> CensusFacts {
        CensusFacts(level: level, category: record.postCategory, fields: record.serviceFields, education: record.education,
                    degree: record.socialWorkDegree, birthYear: record.residentID.birthDate.year, sex: record.sex,
                    firstCertifiedYear: firstCertified.flatMap { Int($0.prefix(4)) }, employerKind: employerKind)
    }

    /// The kinds of organisations not yet known to this writer (people's current employers).
    private func loadKinds(of ids: [String]) async throws {
        let wanted = Array(Set(ids.filter { organizationKinds[$0] == nil }))
        guard !wanted.isEmpty else { return }
        for row in try await sql.select().columns("id", "kind").from("organizations").where("id", .in, wanted)
            .where("kind", .isNot, SQLLiteral.null).all() {
            organizationKinds[try row.decode(column: "id")] = try row.decode(column: "kind", as: String.self)
        }
    }

    private func scopeIssue(_ scope: Scope, record: CensusRecord, path: RegionPath, organizationID: String?, stored: StoredPerson?) -> CensusIssue? {
        if let stored, !scope.mayWrite(person: stored.id, region: regions[stored.regionCode]?.path ?? RegionPath(), organization: stored.organizationID) {
            return CensusIssue(row: record.row, column: .residentID, value: record.residentID.masked, code: "census.scope.person")
        }
        guard !scope.mayWrite(person: stored?.id ?? "", region: path, organization: organizationID) else { return nil }
        if case .organization = scope {
            return CensusIssue(row: record.row, column: .employerName, value: record.employerName, code: "census.scope.organization")
        }
        return CensusIssue(row: record.row, column: .regionCode, value: record.regionCode, code: "census.scope.region", "\(record.regionCode)")
    }

    private func organizationKey(_ record: CensusRecord) -> String? {
        if let code = record.employerCode { return "code:\(code.value)" }
        if let name = record.employerName, !name.isEmpty { return "name:\(name)" }
        return nil
    }

    /// Finds each employer by credit code (or, without one, by name) and registers the ones not on file.
    private func resolveOrganizations(_ records: [CensusRecord], beforeReading: () async throws -> Void) async throws {
        var wantedCodes: [String: CensusRecord] = [:]
        var wantedNames: [String: CensusRecord] = [:]
        for record in records {
            guard let key = organizationKey(record), organizations[key] == nil else { continue }
            if let code = record.employerCode { wantedCodes[code.value] = record } else if let name = record.employerName { wantedNames[name] = record }
        }
        guard !wantedCodes.isEmpty || !wantedNames.isEmpty else { return }
        try await beforeReading()
        if !wantedCodes.isEmpty {
            for row in try await sql.select().columns("id", "credit_code", "kind").from("organizations").where("credit_code", .in, Array(wantedCodes.keys)).all() {
                let code: String = try row.decode(column: "credit_code")
                let id: String = try row.decode(column: "id")
                organizations["code:\(code)"] = id
                if let kind = try row.decode(column: "kind", as: String?.self) { organizationKinds[id] = kind }
                wantedCodes[code] = nil
            }
        }
        if !wantedNames.isEmpty {
            for row in try await sql.select().columns("id", "name", "kind").from("organizations").where("name", .in, Array(wantedNames.keys))
                .orderBy("created_at").all() {
                let name: String = try row.decode(column: "name")
                let id: String = try row.decode(column: "id")
                if organizations["name:\(name)"] == nil { organizations["name:\(name)"] = id }
                if let kind = try row.decode(column: "kind", as: String?.self) { organizationKinds[id] = kind }
                wantedNames[name] = nil
            }
        }
        let stamp = Timestamp.string(now)
        var rows: [[any Encodable & Sendable]] = []
        for (code, record) in wantedCodes {
            let id = RecordID.make()
            organizations["code:\(code)"] = id
            rows.append([id, record.employerName ?? code, code, nil as String?, record.regionCode, stamp, stamp])
        }
        for (name, record) in wantedNames {
            let id = RecordID.make()
            organizations["name:\(name)"] = id
            rows.append([id, name, nil as String?, nil as String?, record.regionCode, stamp, stamp])
        }
        try await sql.insertChunked(into: "organizations",
                                    columns: ["id", "name", "credit_code", "kind", "region_code", "created_at", "updated_at"], rows: rows)
    }
}

/// What an import would do to one person (issue #18): created, or changed field by field. Values
/// are the registry's own (codes, masked identifiers; employers by name); pages name the codes.
public struct CensusImportChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case created, updated }
    public struct Field: Codable, Sendable, Equatable {
        /// The history's field name (`region_code`, `post_category`, `certificate`, …).
        public var field: String
        public var before: String?
        public var after: String?

        public init(field: String, before: String?, after: String?) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    /// The row of the file.
    public var row: Int
    public var kind: Kind
    public var name: String
    /// Masked, as lists show it.
    public var idNumber: String
    public var fields: [Field]

    public init(row: Int, kind: Kind, name: String, idNumber: String, fields: [Field]) {
        self.row = row
        self.kind = kind
        self.name = name
        self.idNumber = idNumber
        self.fields = fields
    }
}
