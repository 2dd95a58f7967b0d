import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A trainer of the pool (师资库): a person on file or an outside expert.
public struct Trainer: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var personID: String?
    public var fields: [TrainingTopic]
    public var level: TrainerLevel
    public var regionCode: String
    public var organizationID: String?
    public var organizationName: String?
    public var sessionsTaught: Int
    public var ratings: Int
    /// The average of participants' ratings (1–5), nil before the first.
    public var averageRating: Double?
}

public struct TrainerInput: Codable, Sendable {
    public var name: String
    public var personID: String?
    public var fields: [String]
    public var level: String
    public var regionCode: String?
    public var organizationID: String?
    public var organizationName: String?

    public init(name: String, personID: String? = nil, fields: [String], level: String, regionCode: String? = nil,
                organizationID: String? = nil, organizationName: String? = nil) {
        self.name = name
        self.personID = personID
        self.fields = fields
        self.level = level
        self.regionCode = regionCode
        self.organizationID = organizationID
        self.organizationName = organizationName
    }
}

/// A material of the resource library (资源库): a file kept in the database, or a link.
public struct TrainingMaterial: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var topics: [TrainingTopic]
    public var audiences: [TrainingAudience]
    public var url: String?
    public var fileName: String?
    public var contentType: String?
    public var size: Int?
    public var createdAt: String
}

public struct MaterialInput: Codable, Sendable {
    public var title: String
    public var topics: [String]
    public var audiences: [String]
    public var url: String?

    public init(title: String, topics: [String], audiences: [String], url: String? = nil) {
        self.title = title
        self.topics = topics
        self.audiences = audiences
        self.url = url
    }
}

extension TrainingStore {
    // MARK: trainers

    static let trainerColumns = """
        t.id, t.name, t.person_id, t.fields, t.level, t.region_code, t.organization_id, COALESCE(o.name, t.organization_name) AS org_name, \
        (SELECT COUNT(*) FROM training_session_trainers st WHERE st.trainer_id = t.id) AS taught, \
        (SELECT COUNT(*) FROM trainer_ratings r WHERE r.trainer_id = t.id) AS ratings, \
        (SELECT CAST(SUM(r.rating) AS BIGINT) FROM trainer_ratings r WHERE r.trainer_id = t.id) AS rating_sum
        """

    func trainerQuery() -> SQLSelectBuilder {
        sql.select().column(SQLRaw(Self.trainerColumns)).from(SQLAlias(SQLIdentifier("trainers"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organization_id", table: "t"), .equal, SQLColumn("id", table: "o"))
    }

    public func trainers(where condition: any SQLExpression) async throws -> [Trainer] {
        try await trainerQuery().where(condition).orderBy(SQLColumn("name", table: "t")).orderBy(SQLColumn("id", table: "t")).limit(500).all().map(Self.trainer)
    }

    public func trainer(id: String) async throws -> Trainer? {
        try await trainerQuery().where(SQLColumn("id", table: "t"), .equal, SQLBind(id)).first().map(Self.trainer)
    }

    static func trainer(_ row: any SQLRow) throws -> Trainer {
        let ratings = try row.decode(column: "ratings", as: Int.self)
        let sum = try row.decode(column: "rating_sum", as: Int?.self) ?? 0
        return Trainer(id: try row.decode(column: "id"), name: try row.decode(column: "name"), personID: try row.decode(column: "person_id", as: String?.self),
                       fields: (JSONList.strings(try row.decode(column: "fields")) ?? []).compactMap(TrainingTopic.init(code:)),
                       level: TrainerLevel(rawValue: try row.decode(column: "level")) ?? .county, regionCode: try row.decode(column: "region_code"),
                       organizationID: try row.decode(column: "organization_id", as: String?.self),
                       organizationName: try row.decode(column: "org_name", as: String?.self), sessionsTaught: try row.decode(column: "taught", as: Int.self),
                       ratings: ratings, averageRating: ratings == 0 ? nil : Double(sum) / Double(ratings))
    }

    /// Adds a trainer filed under `region` (and the organisation when an organisation adds it).
    public func createTrainer(_ input: TrainerInput, region: Region, now: Date) async throws -> Trainer {
        var details: [StoreError.Detail] = []
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...50).contains(name.count) { details.append(.init(field: "name", code: "training.trainer.name")) }
        let fields = input.fields.compactMap(TrainingTopic.init(code:))
        if fields.isEmpty || fields.count != input.fields.count { details.append(.init(field: "fields", code: "training.course.topics")) }
        let level = TrainerLevel(rawValue: input.level)
        if level == nil { details.append(.init(field: "level", code: "training.trainer.level")) }
        let personID = input.personID?.trimmingCharacters(in: .whitespaces).trainingBlankAsNil
        if let personID, try await sql.select().column("id").from("people").where("id", .equal, personID).first() == nil {
            details.append(.init(field: "personID", code: "training.trainer.person"))
        }
        let outsideOrganization = input.organizationName?.trimmingCharacters(in: .whitespaces).trainingBlankAsNil
        if (outsideOrganization?.count ?? 0) > 100 { details.append(.init(field: "organizationName", code: "training.trainer.organization")) }
        guard details.isEmpty, let level else { throw Self.invalid("training.trainer.invalid", details) }
        let id = RecordID.make(now: now), path = region.path
        try await sql.insert(into: "trainers")
            .columns("id", "name", "person_id", "fields", "level", "region_code", "province_code", "city_code", "county_code", "township_code",
                     "organization_id", "organization_name", "created_at")
            .values(SQLBind(id), SQLBind(name), SQLBind(personID), SQLBind(JSONList.text(fields.map(\.code))), SQLBind(level.rawValue),
                    SQLBind(region.code), SQLBind(path.province), SQLBind(path.city), SQLBind(path.county), SQLBind(path.township),
                    SQLBind(input.organizationID), SQLBind(outsideOrganization), SQLBind(Timestamp.string(now))).run()
        guard let trainer = try await trainer(id: id) else { throw Self.notFound("trainer") }
        return trainer
    }

    /// A participant rates a trainer of a completed session they attended, once, 1–5.
    public func rate(session id: String, trainer trainerID: String, person personID: String, rating: Int, now: Date) async throws {
        guard let session = try await session(id: id) else { throw Self.notFound("session") }
        var details: [StoreError.Detail] = []
        if session.status != .completed { details.append(.init(field: "session", code: "training.rating.not_completed")) }
        if !session.trainers.contains(where: { $0.id == trainerID }) { details.append(.init(field: "trainerID", code: "training.rating.trainer")) }
        if !(1...5).contains(rating) { details.append(.init(field: "rating", code: "training.rating.range")) }
        let attended = try await sql.select().column("day").from("training_attendance").where("session_id", .equal, id)
            .where("person_id", .equal, personID).limit(1).first() != nil
        if !attended { details.append(.init(field: "personID", code: "training.rating.not_attended")) }
        guard details.isEmpty else { throw Self.invalid("training.rating.invalid", details) }
        if try await sql.select().column("rating").from("trainer_ratings").where("session_id", .equal, id).where("trainer_id", .equal, trainerID)
            .where("person_id", .equal, personID).first() != nil {
            throw StoreError(.conflict, code: "training.rating.exists", details: [.init(field: "rating", code: "training.rating.exists")])
        }
        try await sql.insert(into: "trainer_ratings").columns("session_id", "trainer_id", "person_id", "rating", "created_at")
            .values(SQLBind(id), SQLBind(trainerID), SQLBind(personID), SQLBind(rating), SQLBind(Timestamp.string(now))).run()
    }

    // MARK: materials

    static let materialColumns = "m.id, m.title, m.topics, m.audiences, m.url, m.file_name, m.content_type, m.byte_size, m.created_at"

    /// Materials inside `condition` whose title contains `search`, by topic and audience when given.
    public func materials(where condition: any SQLExpression, search: String?, topic: TrainingTopic?, audience: TrainingAudience?) async throws -> [TrainingMaterial] {
        var query = sql.select().column(SQLRaw(Self.materialColumns)).from(SQLAlias(SQLIdentifier("training_materials"), as: SQLIdentifier("m")))
            .where(condition)
        if let search = search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            query = query.where(SQLColumn("title", table: "m"), .like, SQLBind("%" + PersonStore.likePrefix(search)))
        }
        if let topic { query = query.where(SQLColumn("topics", table: "m"), .like, SQLBind("%\"\(topic.code)\"%")) }
        if let audience { query = query.where(SQLColumn("audiences", table: "m"), .like, SQLBind("%\"\(audience.rawValue)\"%")) }
        return try await query.orderBy(SQLColumn("created_at", table: "m"), SQLDirection.descending).orderBy(SQLColumn("id", table: "m")).limit(500).all().map(Self.material)
    }

    static func material(_ row: any SQLRow) throws -> TrainingMaterial {
        TrainingMaterial(id: try row.decode(column: "id"), title: try row.decode(column: "title"),
                         topics: (JSONList.strings(try row.decode(column: "topics")) ?? []).compactMap(TrainingTopic.init(code:)),
                         audiences: (JSONList.strings(try row.decode(column: "audiences")) ?? []).compactMap(TrainingAudience.init(rawValue:)),
                         url: try row.decode(column: "url", as: String?.self), fileName: try row.decode(column: "file_name", as: String?.self),
                         contentType: try row.decode(column: "content_type", as: String?.self), size: try row.decode(column: "byte_size", as: Int?.self),
                         createdAt: try row.decode(column: "created_at"))
    }

    /// Whether material `id` exists and satisfies `condition` (on `training_materials m`).
    public func visibility(material id: String, _ condition: any SQLExpression) async throws -> RecordVisibility {
        guard let row = try await sql.select()
            .column(SQLAlias(SQLQueryString("CASE WHEN \(condition) THEN 1 ELSE 0 END"), as: SQLIdentifier("visible")))
            .from(SQLAlias(SQLIdentifier("training_materials"), as: SQLIdentifier("m")))
            .where(SQLColumn("id", table: "m"), .equal, SQLBind(id)).first()
        else { return .missing }
        return try row.decode(column: "visible", as: Int.self) == 1 ? .visible : .outOfScope
    }

    /// A material's file with its bytes (nil for a link or an unknown id).
    public func materialFile(id: String) async throws -> (fileName: String, contentType: String, content: Data)? {
        guard let row = try await sql.select().columns("file_name", "content_type", "content").from("training_materials").where("id", .equal, id).first(),
              let name = try row.decode(column: "file_name", as: String?.self), let type = try row.decode(column: "content_type", as: String?.self),
              let content = try row.decode(column: "content", as: Data?.self)
        else { return nil }
        return (name, type, content)
    }

    /// Adds a material: a file checked by its name, size and bytes (the evidence rules: office
    /// documents, PDF, pictures, text), or an http/https link; never both, never neither.
    public func createMaterial(_ input: MaterialInput, file: EvidenceUpload?, region: Region, organizationID: String?, actor: String,
                               now: Date) async throws -> TrainingMaterial {
        var details: [StoreError.Detail] = []
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(title.count) { details.append(.init(field: "title", code: "training.material.title")) }
        let topics = input.topics.compactMap(TrainingTopic.init(code:))
        if topics.isEmpty || topics.count != input.topics.count { details.append(.init(field: "topics", code: "training.course.topics")) }
        let audiences = input.audiences.compactMap(TrainingAudience.init(rawValue:))
        if audiences.isEmpty || audiences.count != input.audiences.count { details.append(.init(field: "audiences", code: "training.course.audiences")) }
        let url = input.url?.trimmingCharacters(in: .whitespaces).trainingBlankAsNil
        var kind: EvidenceRules.Kind?
        switch (file, url) {
        case (nil, nil), (.some, .some): details.append(.init(field: "file", code: "training.material.file_or_link"))
        case (nil, .some(let url)):
            if !Self.isWebLink(url) { details.append(.init(field: "url", code: "training.material.url")) }
        case (.some(let file), nil):
            switch EvidenceRules.check(fileName: file.fileName, content: file.content) {
            case .accepted(let accepted): kind = accepted
            case .refused(let problem): details.append(.init(field: "file", code: problem.code, text: .bilingual(problem)))
            }
        }
        guard details.isEmpty else { throw Self.invalid("training.material.invalid", details) }
        let id = RecordID.make(now: now), path = region.path
        try await sql.insert(into: "training_materials")
            .columns("id", "title", "topics", "audiences", "url", "file_name", "content_type", "byte_size", "sha256", "content", "organization_id",
                     "province_code", "city_code", "county_code", "township_code", "region_code", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(title), SQLBind(JSONList.text(topics.map(\.code))), SQLBind(JSONList.text(audiences.map(\.rawValue))),
                    SQLBind(url), SQLBind(file?.fileName), SQLBind(kind.map { EvidenceRules.contentType($0, file!.content) }), SQLBind(file?.content.count),
                    SQLBind(file.map { PersonalDataCipher.hex(SHA256.hash(data: $0.content)) }), SQLBind(file?.content),
                    SQLBind(organizationID), SQLBind(path.province), SQLBind(path.city), SQLBind(path.county), SQLBind(path.township), SQLBind(region.code),
                    SQLBind(actor), SQLBind(Timestamp.string(now))).run()
        return TrainingMaterial(id: id, title: title, topics: topics, audiences: audiences, url: url, fileName: file?.fileName,
                                contentType: kind.map { EvidenceRules.contentType($0, file!.content) }, size: file?.content.count,
                                createdAt: Timestamp.string(now))
    }

    /// An absolute http or https address with a host: no `javascript:`, no `file:`.
    static func isWebLink(_ text: String) -> Bool {
        guard text.count <= 1000, let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else { return false }
        return !text.contains(where: { $0.isWhitespace })
    }
}
