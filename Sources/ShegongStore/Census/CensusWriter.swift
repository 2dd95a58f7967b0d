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

    /// Decides what a batch does to the registry and builds its rows; statistics and a dry run's
    /// change list are counted here. `beforeReading` is awaited before any statement is run.
    func prepare(_ records: [CensusRecord], target: String? = nil,
                 beforeReading: () async throws -> Void = {}) async throws -> PreparedBatch {
        let stamp = Timestamp.string(now)
        let idIndexes = records.map { cipher.index($0.residentID.value) }
        let readsRegistry = target != nil || !registryWasEmpty

        // Existing people, by ID index (or the one the caller targets).
        var existing: [String: StoredPerson] = [:]   // by id_index
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
                existing[target == nil ? person.idIndex : idIndexes[0]] = person
            }
        }
        if let target, existing.isEmpty { throw StoreError.notFound(.person, target) }
        if target != nil, let person = existing[idIndexes[0]], person.idIndex != idIndexes[0] {
            // The ID number itself is being corrected: it must not belong to someone else.
            let clash = try await sql.select().column("id").from("people").where("id_index", .equal, idIndexes[0]).first()
            if clash != nil {
                return PreparedBatch(outcomes: [.rejected([CensusIssue(row: records[0].row, column: .residentID,
                                                                       value: records[0].residentID.masked, code: "census.id.taken")])],
                                     stamp: stamp)
            }
        }

        // Certificates already on file with these numbers.
        let numbers = readsRegistry ? records.compactMap { $0.certificate?.number } : []
        var certificates: [String: (personID: String, level: String, issueDate: String, id: String)] = [:]
        if !numbers.isEmpty {
            for row in try await sql.select().columns("id", "number", "person_id", "level", "issue_date").from("certificates")
                .where("number", .in, numbers).all() {
                certificates[try row.decode(column: "number")] = (try row.decode(column: "person_id"), try row.decode(column: "level"),
                                                                  try row.decode(column: "issue_date"), try row.decode(column: "id"))
            }
        }
        // Highest certificate level held per existing person (certificates not named in this batch count too).
        var heldLevels: [String: Int] = [:]
        var firstIssued: [String: String] = [:]   // earliest issue date on file, per person
        let existingIDs = existing.values.map(\.id)
        if !existingIDs.isEmpty {
            for row in try await sql.select().columns("person_id", "level", "issue_date").from("certificates").where("person_id", .in, existingIDs).all() {
                let rank = CertificateLevel(rawValue: try row.decode(column: "level"))?.rank ?? 0
                let pid: String = try row.decode(column: "person_id")
                let issued: String = try row.decode(column: "issue_date")
                heldLevels[pid] = max(heldLevels[pid] ?? 0, rank)
                firstIssued[pid] = min(firstIssued[pid] ?? issued, issued)
            }
        }
        try await resolveOrganizations(records, beforeReading: beforeReading)
        try await loadKinds(of: existing.values.compactMap(\.organizationID))
        // A dry run's list names employers, never their ids (a new one's id is rolled back with it).
        var employerNames: [String: String] = [:]
        if collectChanges {
            let ids = Array(Set(existing.values.compactMap(\.organizationID)))
            if !ids.isEmpty {
                for row in try await sql.select().columns("id", "name").from("organizations").where("id", .in, ids).all() {
                    employerNames[try row.decode(column: "id")] = try row.decode(column: "name", as: String.self)
                }
            }
        }
        let employerAfter: (CensusRecord) -> String? = { $0.employerName ?? $0.employerCode?.value }

        var outcomes: [Outcome] = []
        var peopleRows: [[any Encodable & Sendable]] = []
        var employmentRows: [[any Encodable & Sendable]] = []
        var certificateRows: [[any Encodable & Sendable]] = []
        var changeRows: [[any Encodable & Sendable]] = []
        // PostgreSQL: changed people and ended posts are written with one statement per batch.
        let setBased = BulkInsert.usesCopy(sql)
        var staged: [StagedUpdate] = []

        for (i, record) in records.enumerated() {
            let organizationID = organizationKey(record).flatMap { organizations[$0] }
            let mobileIndex = record.mobile.map { cipher.index($0.value) }
            let path = regions[record.regionCode]?.path ?? RegionPath()

            if let scope, let issue = scopeIssue(scope, record: record, path: path, organizationID: organizationID, stored: existing[idIndexes[i]]) {
                outcomes.append(.rejected([issue]))
                continue
            }

            if let cert = record.certificate, let owner = certificates[cert.number] {
                let ownerIsThisPerson = existing[idIndexes[i]].map { $0.id == owner.personID } ?? false
                if !ownerIsThisPerson {
                    outcomes.append(.rejected([CensusIssue(row: record.row, column: .certificateNumber, value: cert.number,
                                                           code: "census.certificate.taken", "\(cert.number)")]))
                    continue
                }
            }

            guard let person = existing[idIndexes[i]] else {
                // A new person.
                let personID = RecordID.make()
                peopleRows.append([
                    personID, idIndexes[i], try cipher.seal(record.residentID.value), record.residentID.masked,
                    record.name, record.sex.rawValue, record.residentID.birthDate.description,
                    mobileIndex, try record.mobile.map { try cipher.seal($0.value) }, record.mobile?.masked,
                    record.regionCode, path.province, path.city, path.county, path.township,
                    organizationID, record.postCategory?.rawValue, record.serviceFields.stored,
                    record.education?.rawValue, record.socialWorkDegree, record.certificate?.level.rawValue,
                    record.certificate?.issueDate.description, stamp, stamp, 1,
                ])
                if organizationID != nil || record.postCategory != nil {
                    employmentRows.append([RecordID.make(), personID, organizationID, record.postCategory?.rawValue,
                                           postsSince.description, nil as String?])
                }
                if let cert = record.certificate {
                    certificateRows.append([RecordID.make(), personID, cert.level.rawValue, cert.number,
                                            cert.issueDate.description, false, stamp])
                    certificates[cert.number] = (personID, cert.level.rawValue, cert.issueDate.description, "")
                }
                changeRows.append([personID, stamp, actor, source, "record", nil as String?, "created"])
                if collectChanges {
                    let values: [(String, String?)] = [
                        ("region_code", record.regionCode), ("organization", employerAfter(record)),
                        ("post_category", record.postCategory?.rawValue), ("service_fields", record.serviceFields.stored),
                        ("education", record.education?.rawValue), ("certificate_level", record.certificate?.level.rawValue),
                    ]
                    self.changes.append(CensusImportChange(row: record.row, kind: .created, name: record.name, idNumber: record.residentID.masked,
                                                      fields: values.compactMap { field, value in
                                                          value.flatMap { $0.isEmpty ? nil : CensusImportChange.Field(field: field, before: nil, after: $0) }
                                                      }))
                }
                stats.add(Self.facts(record, level: record.certificate?.level, firstCertified: record.certificate?.issueDate.description,
                                     employerKind: organizationID.flatMap { organizationKinds[$0] }),
                          region: record.regionCode, sign: 1)
                outcomes.append(.created(personID: personID))
                continue
            }

            // An existing person: compare field by field.
            var changes: [(field: String, column: String, before: String?, after: String?, value: any Encodable & Sendable)] = []
            func compare(_ field: String, _ column: String, _ before: String?, _ after: String?, value: (any Encodable & Sendable)? = nil) {
                if before != after { changes.append((field, column, before, after, value ?? after)) }
            }
            compare("name", "name", person.name, record.name)
            if person.idIndex != idIndexes[i] {
                changes.append(("id_number", "id_index", nil, record.residentID.masked, idIndexes[i]))
                changes.append(("", "id_cipher", nil, nil, try cipher.seal(record.residentID.value)))
                changes.append(("", "id_masked", nil, nil, record.residentID.masked))
                changes.append(("", "sex", nil, nil, record.sex.rawValue))
                changes.append(("", "birth_date", nil, nil, record.residentID.birthDate.description))
            }
            if person.mobileIndex != mobileIndex {
                changes.append(("mobile", "mobile_index", person.mobileMasked, record.mobile?.masked, mobileIndex))
                changes.append(("", "mobile_cipher", nil, nil, try record.mobile.map { try cipher.seal($0.value) }))
                changes.append(("", "mobile_masked", nil, nil, record.mobile?.masked))
            }
            if person.regionCode != record.regionCode {
                compare("region_code", "region_code", person.regionCode, record.regionCode)
                changes.append(("", "province_code", nil, nil, path.province))
                changes.append(("", "city_code", nil, nil, path.city))
                changes.append(("", "county_code", nil, nil, path.county))
                changes.append(("", "township_code", nil, nil, path.township))
            }
            let employmentChanged = person.organizationID != organizationID || person.postCategory != record.postCategory?.rawValue
            compare("organization", "organization_id", person.organizationID, organizationID)
            compare("post_category", "post_category", person.postCategory, record.postCategory?.rawValue)
            compare("service_fields", "service_fields", person.serviceFields, record.serviceFields.stored)
            compare("education", "education", person.education, record.education?.rawValue)
            compare("social_work_degree", "social_work_degree", person.socialWorkDegree.map { $0 ? "是" : "否" },
                    record.socialWorkDegree.map { $0 ? "是" : "否" }, value: record.socialWorkDegree)

            // Certificates are added or corrected, never removed by an import (a row saying 无
            // does not erase a certificate on file).
            var certificateChanged = false
            var level = heldLevels[person.id] ?? 0
            var first = firstIssued[person.id]
            if let cert = record.certificate {
                if let onFile = certificates[cert.number] {
                    if onFile.level != cert.level.rawValue || onFile.issueDate != cert.issueDate.description {
                        try await sql.update("certificates").set("level", to: cert.level.rawValue)
                            .set("issue_date", to: cert.issueDate.description).where("number", .equal, cert.number).run()
                        changeRows.append([person.id, stamp, actor, source, "certificate", "\(onFile.level) \(onFile.issueDate)",
                                           "\(cert.level.rawValue) \(cert.issueDate) \(cert.number)"])
                        certificateChanged = true
                        // A corrected level may lower the highest one held: recount from the table below.
                        level = -1
                    }
                } else {
                    certificateRows.append([RecordID.make(), person.id, cert.level.rawValue, cert.number,
                                            cert.issueDate.description, false, stamp])
                    certificates[cert.number] = (person.id, cert.level.rawValue, cert.issueDate.description, "")
                    changeRows.append([person.id, stamp, actor, source, "certificate", nil as String?,
                                       "\(cert.level.rawValue) \(cert.issueDate) \(cert.number)"])
                    certificateChanged = true
                    level = max(level, cert.level.rank)
                    first = min(first ?? cert.issueDate.description, cert.issueDate.description)
                }
            }
            if level < 0 {
                level = 0
                first = nil
                for row in try await sql.select().columns("level", "issue_date").from("certificates").where("person_id", .equal, person.id).all() {
                    level = max(level, CertificateLevel(rawValue: try row.decode(column: "level"))?.rank ?? 0)
                    let issued: String = try row.decode(column: "issue_date")
                    first = min(first ?? issued, issued)
                }
            }
            let newLevel = CertificateLevel.allCases.first { $0.rank == level }
            compare("certificate_level", "certificate_level", person.certificateLevel, newLevel?.rawValue)
            if first != person.firstCertifiedOn { changes.append(("", "first_certified_on", nil, nil, first)) }

            if changes.isEmpty && !certificateChanged {
                outcomes.append(.unchanged(personID: person.id))
                continue
            }
            if collectChanges {
                var fields = changes.filter { !$0.field.isEmpty }.map { change in
                    change.field == "organization"
                        ? CensusImportChange.Field(field: "organization", before: change.before.flatMap { employerNames[$0] }, after: employerAfter(record))
                        : CensusImportChange.Field(field: change.field, before: change.before, after: change.after)
                }
                if certificateChanged, let cert = record.certificate {
                    fields.append(.init(field: "certificate", before: nil, after: "\(cert.level.rawValue) \(cert.issueDate) \(cert.number)"))
                }
                self.changes.append(CensusImportChange(row: record.row, kind: .updated, name: record.name, idNumber: record.residentID.masked, fields: fields))
            }
            if setBased && (!changes.isEmpty || employmentChanged) {
                staged.append(StagedUpdate(personID: person.id, version: person.version + 1,
                                           changes: changes.map { ($0.column, $0.value) }, endsEmployment: employmentChanged))
            }
            if !changes.isEmpty {
                if !setBased {
                    var update = sql.update("people").set("updated_at", to: stamp).set("version", to: person.version + 1)
                    for change in changes { update = update.set(change.column, to: change.value) }
                    try await update.where("id", .equal, person.id).run()
                }
                for change in changes where !change.field.isEmpty {
                    changeRows.append([person.id, stamp, actor, source, change.field, change.before, change.after])
                }
            }
            if employmentChanged {
                if !setBased {
                    try await sql.update("employments").set("end_date", to: today.description)
                        .where("person_id", .equal, person.id).where("end_date", .is, SQLLiteral.null).run()
                }
                if organizationID != nil || record.postCategory != nil {
                    employmentRows.append([RecordID.make(), person.id, organizationID, record.postCategory?.rawValue,
                                           today.description, nil as String?])
                }
            }
            stats.add(person.facts(employerKind: person.organizationID.flatMap { organizationKinds[$0] }), region: person.regionCode, sign: -1)
            stats.add(Self.facts(record, level: newLevel, firstCertified: first, employerKind: organizationID.flatMap { organizationKinds[$0] }),
                      region: record.regionCode, sign: 1)
            outcomes.append(.updated(personID: person.id))
        }

        return PreparedBatch(outcomes: outcomes, stamp: stamp, staged: staged, people: peopleRows, employments: employmentRows,
                             certificates: certificateRows, changes: changeRows)
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
