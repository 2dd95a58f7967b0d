import Foundation
import ShegongDomain

/// What an audit action is called in a page's language: the catalogue's `auditAction.<action>`
/// (Catalogue+AdminPages.swift), or the action itself when the catalogue has no name for it (an
/// action added without its name, or an old entry's), so the audit administrator always sees
/// what was recorded.
public enum AuditActionNames {
    public static func name(_ action: String, _ language: Language) -> String {
        let key = "auditAction." + action
        return Catalogue.standard.template(key, language) == nil ? action : Catalogue.text(key, language)
    }
}
