import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// One area of the web layer — its JSON API endpoints, pages, navigation entries, audit actions,
/// catalogue texts and commands — registered in one place that `configure` loops over
/// (docs/architecture.md "Adding a feature").
protocol WebFeature: Sendable {
    /// Its JSON API endpoints, each declared once (`Endpoint`); the OpenAPI document, the 405
    /// answers and the role × route matrix come from these.
    var endpoints: [Endpoint] { get }
    /// The schemas its endpoints refer to (`#/components/schemas/…`).
    var schemas: [String: JSONValue] { get }
    /// Registers its API handlers and pages (and anything they need at start).
    func register(_ app: Application) throws
    /// Its entries in the main navigation for `principal`, each with its place in the bar.
    func navigation(for principal: Principal) -> [NavigationEntry]
    /// The actions its use cases write to the audit log (the audit page names them).
    var auditActions: [AuditAction] { get }
    /// Its texts, Chinese and English (`Catalogue+….swift` in the domain, where the services and
    /// the command line read them too).
    var catalogue: [CatalogueEntry] { get }
    /// Its command-line commands, by name.
    var commands: [(name: String, command: any AnyAsyncCommand)] { get }
}

extension WebFeature {
    var endpoints: [Endpoint] { [] }
    var schemas: [String: JSONValue] { [:] }
    func navigation(for principal: Principal) -> [NavigationEntry] { [] }
    var commands: [(name: String, command: any AnyAsyncCommand)] { [] }
}

/// A link in the main navigation; `order` places it among the other features' links.
struct NavigationEntry: Sendable {
    var order: Int
    /// Catalogue key of its label.
    var key: String
    var path: String
}

enum WebFeatures {
    /// Every feature, in the order their routes are registered.
    static let all: [any WebFeature] = [
        SystemFeature(), AccountsFeature(), RegistryFeature(), CensusFeature(), IndicatorsAndPlansFeature(), IncentivesFeature(),
        PilotsFeature(), VerificationFeature(),
        PracticeBasesFeature(),
        ContinuingEducationFeature(),
        TrainingFeature(),
        FourEyesFeature(),
    ]

    /// The main navigation of `principal`: every feature's entries, in their order.
    static func navigation(for principal: Principal) -> [NavigationEntry] {
        all.flatMap { $0.navigation(for: principal) }.sorted { $0.order < $1.order }
    }

    static func register(_ app: Application) throws {
        for feature in all {
            try feature.register(app)
            for (name, command) in feature.commands { app.asyncCommands.use(command, as: name) }
        }
    }

    /// Every action any feature writes to the audit log.
    static var auditActions: [AuditAction] { all.flatMap(\.auditActions) }
}

extension Principal {
    /// Officials and department operators: the people who work with a region's figures and plans.
    var worksWithRegionFigures: Bool { role == .official || role == .departmentOperator }
}
