import Foundation
import SQLKit
import ShegongDomain

/// The common case of a monthly allowance run, decided in SQL (issue #4: a run for a million
/// people within 3× of the equivalent `INSERT … SELECT`).
///
/// Under the eligible-on-the-1st rule the engine decides a month from the facts of its first day.
/// For a person holding exactly one certificate that day (and, when the policy names qualifying
/// posts, exactly one post), those facts come down to a *shape* — certificate level, 单独划线 flag,
/// post category, employer kind, whether the minimum time in post is served — and everyone of a
/// shape gets the same decision. So the engine decides every possible shape once, on a made-up
/// person of that shape, and one `INSERT … SELECT` writes the line of everyone whose shape
/// qualifies, with the facts its explanation is re-derived from (`AddPaymentLineFacts`,
/// `IncentiveLedger.line(id:)`). Everyone else — two certificates or two posts that day, or
/// months of arrears possibly owed — is decided person by person as before (`slowPersonIDs`).
///
/// Not used (the whole run goes person by person) when the month's rule is by days, when no
/// version is in force on the 1st, or when the version restricts the place of work.
struct AllowanceShapes {
    let policy: IncentivePolicy
    let version: PolicyVersion
    let month: CivilMonth
    let jurisdiction: Region
    /// The month's first day: the day that decides.
    let day: CivilDate
    /// The latest post start that has served the minimum time in post by `day`; nil without a minimum.
    let tenureThreshold: CivilDate?

    init?(policy: IncentivePolicy, month: CivilMonth, jurisdiction: Region) {
        let day = month.firstDay
        guard let version = policy.version(on: day), (version.proRata ?? .eligibleOnFirstDay) == .eligibleOnFirstDay,
              version.workRegions == nil else { return nil }
        self.policy = policy
        self.version = version
        self.month = month
        self.jurisdiction = jurisdiction
        self.day = day
        let months = version.minimumMonthsInPost
        if months > 0 {
            // `adding(months:)` never decreases as the start moves later, so the starts that have
            // served the minimum by `day` are all those up to one date: find it from above.
            var start = day.adding(months: -months).adding(days: 4)
            while start.adding(months: months) > day { start = start.adding(days: -1) }
            tenureThreshold = start
        } else {
            tenureThreshold = nil
        }
    }

    var postsMatter: Bool { version.qualifyingPosts != nil }

    // MARK: Shapes and their decisions

    struct Shape: Hashable {
        var level: CertificateLevel
        var lowScoreArea: Bool
        var category: PostCategory?
        /// An `OrganizationKind`'s raw value, or "" for an unknown or missing kind.
        var organizationKind: String
        var tenureServed: Bool

        /// The key the SQL builds for a person (`shapeKey`).
        var key: String {
            var parts = [level.rawValue, lowScoreArea ? "1" : "0"]
            if let category { parts += [category.rawValue, organizationKind, tenureServed ? "1" : "0"] }
            return parts.joined(separator: "|")
        }
    }

    /// Every shape a person can have, with the engine's decision for a made-up person of that shape.
    func decidedShapes() -> [(Shape, EligibilityDecision)] {
        var shapes: [Shape] = []
        for level in CertificateLevel.allCases {
            for low in [false, true] {
                guard postsMatter else {
                    shapes.append(Shape(level: level, lowScoreArea: low, category: nil, organizationKind: "", tenureServed: true))
                    continue
                }
                for category in PostCategory.allCases {
                    for kind in [""] + OrganizationKind.allCases.map(\.rawValue).sorted() {
                        for served in tenureThreshold == nil ? [true] : [true, false] {
                            shapes.append(Shape(level: level, lowScoreArea: low, category: category, organizationKind: kind, tenureServed: served))
                        }
                    }
                }
            }
        }
        let path = [RegionCode.nation] + ((try? RegionCode.parse(jurisdiction.code).get()).map(PersonSnapshot.structuralPath(to:)) ?? [])
        return shapes.map { shape in
            var person = PersonSnapshot(id: "shape", regionPath: path,
                                        certificates: [HeldCertificate(level: shape.level, number: "", issueDate: day, lowScoreArea: shape.lowScoreArea)])
            if let category = shape.category {
                let start = tenureThreshold.map { shape.tenureServed ? $0 : $0.adding(days: 1) } ?? day
                person.posts = [PostTenure(category: category, employerKind: EmployerKind(organizationKind: shape.organizationKind), start: start)]
            }
            return (shape, IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: month))
        }
    }

    // MARK: SQL
    //
    // Every value reaches the SQL as a `\(literal:)` (SQLKit quotes and escapes it for the dialect)
    // or a bind; the only raw text is this file's own SQL. Dates, levels, categories and shape keys
    // are literals rather than binds so that both databases plan the statement with the values
    // known (PostgreSQL would also refuse `date <= text` for a string bind), and the column of the
    // jurisdiction is an identifier from `RegionPath.column(for:)`, a code constant.

    static func list(_ values: [String]) -> SQLQueryString { "\(literals: values, joinedBy: ", ")" }
    static var levels: SQLQueryString { list(CertificateLevel.allCases.map(\.rawValue)) }
    static var categories: SQLQueryString { list(PostCategory.allCases.map(\.rawValue)) }

    /// `p.<level>_code = code` for the jurisdiction (nothing for the nation).
    var inJurisdiction: SQLQueryString {
        guard let column = RegionPath.column(for: jurisdiction.level) else { return "" }
        return " AND p.\(ident: column) = \(literal: jurisdiction.code)"
    }

    /// The certificate (and post) rows of people with exactly one of each on the day; `D` is the day.
    var simpleFrom: SQLQueryString {
        let d: SQLQueryString = "\(literal: day.description)"
        var sql: SQLQueryString = """
            FROM people p
            JOIN certificates c ON c.person_id = p.id AND c.issue_date <= \(d) AND c.level IN (\(Self.levels))
            """
        if postsMatter {
            sql += """

                JOIN employments e ON e.person_id = p.id AND e.start_date <= \(d) AND (e.end_date IS NULL OR e.end_date >= \(d))
                  AND e.post_category IN (\(Self.categories))
                LEFT JOIN organizations o ON o.id = e.organization_id
                """
        }
        sql += """

            WHERE p.certificate_level IS NOT NULL\(inJurisdiction)
              AND NOT EXISTS (SELECT 1 FROM certificates c2 WHERE c2.person_id = p.id AND c2.id <> c.id AND c2.issue_date <= \(d)
                              AND c2.level IN (\(Self.levels)))
            """
        if postsMatter {
            sql += """

                  AND NOT EXISTS (SELECT 1 FROM employments e2 WHERE e2.person_id = p.id AND e2.id <> e.id AND e2.start_date <= \(d)
                                  AND (e2.end_date IS NULL OR e2.end_date >= \(d)) AND e2.post_category IN (\(Self.categories)))
                """
        }
        return sql
    }

    /// The `Shape.key` of a row of `simpleFrom`, in SQL.
    var shapeKey: SQLQueryString {
        var sql: SQLQueryString = "c.level || '|' || (CASE WHEN c.low_score_area THEN '1' ELSE '0' END)"
        if postsMatter {
            let kinds = Self.list(OrganizationKind.allCases.map(\.rawValue).sorted())
            let served: SQLQueryString = tenureThreshold.map { "(CASE WHEN e.start_date <= \(literal: $0.description) THEN '1' ELSE '0' END)" } ?? "'1'"
            sql += " || '|' || e.post_category || '|' || (CASE WHEN o.kind IN (\(kinds)) THEN o.kind ELSE '' END) || '|' || \(served)"
        }
        return sql
    }

    /// Writes the month's line of every simple person whose shape qualifies; lines already on
    /// file stay as they are. Amounts come from the decided shapes, never from SQL arithmetic.
    func insertLines(batchID: String, revision: Int?, stamp: String, on sql: any SQLDatabase) async throws {
        let eligible = decidedShapes().filter { $0.1.eligible && $0.1.amountFen > 0 }
        guard !eligible.isEmpty else { return }
        let amounts = eligible.map { "WHEN \(literal: $0.0.key) THEN \(literal: $0.1.amountFen)" as SQLQueryString }.joined(separator: " ")
        let post: SQLQueryString = postsMatter
            ? "e.post_category AS post_category, o.kind AS kind, e.start_date AS start_date, e.end_date AS end_date"
            : "NULL AS post_category, NULL AS kind, NULL AS start_date, NULL AS end_date"
        try await sql.raw("""
            INSERT INTO payment_lines (id, batch_id, policy_id, person_id, region_code, kind, month, level, amount_fen, state, dedupe_key,
                                       application_id, explanation, created_at, certificate_number, certificate_issue_date,
                                       certificate_low_score_area, post_category, post_organization_kind, post_start, post_end, policy_revision)
            SELECT \(bind: batchID) || ':' || x.person_id, \(bind: batchID), \(bind: policy.id), x.person_id, x.region_code, 'allowance',
                   \(bind: month.description), x.level, CASE x.shape \(amounts) END, 'draft', \(bind: "month:\(month)"),
                   NULL, '', \(bind: stamp), x.number, x.issue_date, x.low_score_area, x.post_category, x.kind, x.start_date, x.end_date,
                   \(bind: revision)
            FROM (SELECT p.id AS person_id, p.region_code, c.level, c.number, c.issue_date, c.low_score_area,
                         \(post),
                         \(shapeKey) AS shape
                  \(simpleFrom)) x
            WHERE x.shape IN (\(Self.list(eligible.map(\.0.key))))
            ON CONFLICT (policy_id, person_id, dedupe_key) DO NOTHING
            """).run()
    }

    /// People the shapes do not decide, to go through the engine one by one: two certificates or
    /// two posts on the day, and — when the run is not the policy's first month — anyone who held
    /// a certificate before this month and has fewer months on file than could be owed since
    /// (steady-state payees have every month on file and are left out).
    func slowPersonIDs(firstMonth: CivilMonth, on sql: any SQLDatabase) async throws -> [String] {
        // Each reason is a set of people found by one pass over a table, grouped by person (cheaper
        // than probing every candidate's rows one at a time); their union is joined to the candidates.
        let d: SQLQueryString = "\(literal: day.description)"
        let certificatesHeld: SQLQueryString = "SELECT person_id FROM certificates WHERE issue_date <= \(d) AND level IN (\(Self.levels)) GROUP BY person_id"
        var reasons: [SQLQueryString] = ["\(certificatesHeld) HAVING COUNT(*) >= 2"]
        if postsMatter {
            reasons.append("""
                SELECT person_id FROM (SELECT person_id FROM employments WHERE start_date <= \(d) AND (end_date IS NULL OR end_date >= \(d))
                                         AND post_category IN (\(Self.categories)) GROUP BY person_id HAVING COUNT(*) >= 2
                                       INTERSECT \(certificatesHeld)) two_posts
                """)
        }
        if month > firstMonth {
            let previous = month.adding(months: -1)
            let before: SQLQueryString = "\(literal: previous.lastDay.description)"
            let months = CivilMonth.months(from: firstMonth, through: previous)
            if months.allSatisfy(policy.isInForce(during:)) {
                // Months possibly owed: from the later of the policy's first month and the first
                // certificate's month, through last month. Fewer on file → the engine looks.
                let issueIndex: SQLQueryString = "(CAST(SUBSTR(f.first_issue, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR(f.first_issue, 6, 2) AS INTEGER))"
                reasons.append("""
                    SELECT f.person_id
                    FROM (SELECT person_id, MIN(issue_date) AS first_issue FROM certificates
                          WHERE issue_date <= \(before) AND level IN (\(Self.levels)) GROUP BY person_id) f
                    LEFT JOIN (SELECT person_id, COUNT(*) AS paid FROM payment_lines
                               WHERE policy_id = \(literal: policy.id) AND month >= \(literal: firstMonth.description)
                                 AND month <= \(literal: previous.description) AND state <> 'rejected'
                               GROUP BY person_id) l ON l.person_id = f.person_id
                    WHERE COALESCE(l.paid, 0) < \(literal: months.count)
                      AND COALESCE(l.paid, 0) + \(issueIndex) <= \(literal: previous.year * 12 + previous.month)
                    """)
            } else {
                reasons.append("SELECT person_id FROM certificates WHERE issue_date <= \(before) AND level IN (\(Self.levels))")
            }
        }
        var query: SQLQueryString = """
            SELECT p.id FROM people p JOIN (\(reasons.joined(separator: "\nUNION\n"))) slow ON slow.person_id = p.id
            WHERE p.certificate_level IS NOT NULL\(inJurisdiction)
            """
        if let categories = policy.possiblePostCategories {
            query += " AND EXISTS (SELECT 1 FROM employments e WHERE e.person_id = p.id AND e.post_category IN (\(Self.list(categories.map(\.rawValue).sorted()))))"
        }
        query += " ORDER BY p.id"
        return try await sql.raw(query).all().map { try $0.decode(column: "id") }
    }
}
