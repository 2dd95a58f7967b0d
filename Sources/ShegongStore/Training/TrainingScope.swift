import Foundation
import SQLKit
import ShegongDomain

/// Who sees and who manages training records, as SQL conditions (docs/training.md "Training"):
/// an official the courses organised in their region subtree (by the course's region path), an
/// organisation manager its own organisation's courses; a worker and an employer also see the
/// courses of the offices above them, so they can enrol.
public enum TrainingScope {
    /// Courses (alias `c`) the scope may read.
    public static func courseReadable(_ scope: Scope, table c: String = "c") -> any SQLExpression {
        switch scope {
        case .region(let subtree, _): return subtree.condition(table: c)
        case .organization(let id):
            return SQLQueryString("""
                (\(ident: c).organizer_organization_id = \(bind: id) OR (\(ident: c).organizer_organization_id IS NULL AND EXISTS (\
                SELECT 1 FROM organizations so JOIN regions sr ON sr.code = so.region_code WHERE so.id = \(bind: id) \
                AND \(ident: c).region_code IN (sr.code, sr.township_code, sr.county_code, sr.city_code, sr.province_code))))
                """)
        case .person(let id):
            return SQLQueryString("""
                EXISTS (SELECT 1 FROM people sp WHERE sp.id = \(bind: id) AND (\(ident: c).organizer_organization_id = sp.organization_id \
                OR (\(ident: c).organizer_organization_id IS NULL AND \(ident: c).region_code IN (sp.region_code, sp.township_code, sp.county_code, sp.city_code, sp.province_code))))
                """)
        case .noBusinessData, .department: return SQLRaw("1 = 0")
        }
    }

    /// Courses (alias `c`) the scope organises: read-write officials in their subtree, an
    /// organisation manager its own organisation's.
    public static func courseManaged(_ scope: Scope, table c: String = "c") -> any SQLExpression {
        switch scope {
        case .region(let subtree, .readWrite): return subtree.condition(table: c)
        case .organization(let id): return SQLBinaryExpression(SQLColumn("organizer_organization_id", table: c), .equal, SQLBind(id))
        default: return SQLRaw("1 = 0")
        }
    }

    /// Trainers and materials (alias given) the scope may read: officials by region path, an
    /// organisation manager its own and those of the offices above it, a worker those above them.
    public static func libraryReadable(_ scope: Scope, table t: String) -> any SQLExpression {
        switch scope {
        case .region(let subtree, _): return subtree.condition(table: t)
        case .organization(let id):
            return SQLQueryString("""
                (\(ident: t).organization_id = \(bind: id) OR (\(ident: t).organization_id IS NULL AND EXISTS (\
                SELECT 1 FROM organizations so JOIN regions sr ON sr.code = so.region_code WHERE so.id = \(bind: id) \
                AND \(ident: t).region_code IN (sr.code, sr.township_code, sr.county_code, sr.city_code, sr.province_code))))
                """)
        case .person(let id):
            return SQLQueryString("""
                EXISTS (SELECT 1 FROM people sp WHERE sp.id = \(bind: id) AND (\(ident: t).organization_id = sp.organization_id \
                OR (\(ident: t).organization_id IS NULL AND \(ident: t).region_code IN (sp.region_code, sp.township_code, sp.county_code, sp.city_code, sp.province_code))))
                """)
        case .noBusinessData, .department: return SQLRaw("1 = 0")
        }
    }

    /// Trainers and materials the scope may add to and assign: read-write officials in their
    /// subtree, an organisation manager its own.
    public static func libraryManaged(_ scope: Scope, table t: String) -> any SQLExpression {
        switch scope {
        case .region(let subtree, .readWrite): return subtree.condition(table: t)
        case .organization(let id): return SQLBinaryExpression(SQLColumn("organization_id", table: t), .equal, SQLBind(id))
        default: return SQLRaw("1 = 0")
        }
    }

    /// The practice bases (alias given) a session may be held at: those in the organiser's subtree
    /// and those of the regions above it — a county's course may use the city's base. An
    /// organisation manager: the bases of its organisation's region and above.
    public static func basesForSessions(_ scope: Scope, table b: String) -> any SQLExpression {
        switch scope {
        case .region(let subtree, _):
            guard subtree.level != .nation else { return SQLRaw("1 = 1") }
            return SQLQueryString("""
                (\(subtree.condition(table: b)) OR EXISTS (SELECT 1 FROM regions sr WHERE sr.code = \(bind: subtree.code) \
                AND \(ident: b).region_code IN (sr.township_code, sr.county_code, sr.city_code, sr.province_code)))
                """)
        case .organization(let id):
            return SQLQueryString("""
                EXISTS (SELECT 1 FROM organizations so JOIN regions sr ON sr.code = so.region_code WHERE so.id = \(bind: id) \
                AND \(ident: b).region_code IN (sr.code, sr.township_code, sr.county_code, sr.city_code, sr.province_code))
                """)
        default: return SQLRaw("1 = 0")
        }
    }
}
