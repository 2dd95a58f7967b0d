import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import Vapor

/// Shegong in this process, wired by the same `configure` as the server, for what the bench reads
/// directly: the demo regions and employers before the import, the statistics after it.
enum ShegongInProcess {
    static func with<T>(environment: [String: String], _ body: (any Database, PersonalDataCipher) async throws -> T) async throws -> T {
        var environment = environment
        environment[ShegongSettings.logLevelKey] = "warning"
        let app = try await Application.make(.testing)
        do {
            try await configure(app, settings: try ShegongSettings(environment: environment))
            // A database from an earlier build may lack newer tables.
            try await app.autoMigrate()
            let result = try await body(app.db, app.shegong.cipher)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// What the synthetic people are made of: the demo's townships and communities and its employers.
struct CensusGround {
    var places: [CensusPlace]
    var employersByCounty: [String: [CensusEmployer]]
    var peopleOnFile: Int

    static func read(db: any Database, cipher: PersonalDataCipher) async throws -> CensusGround {
        let directory = try await RegionStore(db).directory()
        // The demo's own rule: every community, and the townships that have none listed.
        let places = DemoDataSet.places(in: directory)
            .compactMap { region in region.path.county.map { CensusPlace(code: region.code, county: $0) } }

        let organizations = try await OrganizationStore(db: db).list(region: nil, name: nil, page: 1, perPage: 500).items
        let employers = Dictionary(grouping: organizations.filter { $0.regionCode != nil }, by: { $0.regionCode! })
            .mapValues { list in
                list.sorted { $0.name < $1.name }.map {
                    CensusEmployer(name: $0.name, creditCode: $0.creditCode.flatMap { try? SocialCreditCode.parse($0).get() }, kind: $0.kind)
                }
            }
        var onePerson = PersonFilter()
        onePerson.perPage = 1
        let people = try await PersonStore(db: db, cipher: cipher).list(onePerson).total
        return CensusGround(places: places, employersByCounty: employers, peopleOnFile: people)
    }
}
