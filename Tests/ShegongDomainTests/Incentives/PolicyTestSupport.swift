import Foundation
import Testing
import ShegongDomain

/// Seed policy files and people for the incentive tests.
enum PolicySeeds {
    static let fileNames = [
        "jingzhou-one-time-support.yaml",
        "xianfeng-one-time-award.yaml",
        "xianfeng-monthly-allowance.yaml",
        "xuancheng-exam-reward.yaml",
        "xuancheng-community-allowance.yaml",
    ]

    /// The repository's `policies/` folder, found upwards from this file (symlinks resolved, so
    /// it also works from a scratch package that links the test folder in).
    static var directory: URL {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("policies")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(fileNames[0]).path) { return candidate }
            folder.deleteLastPathComponent()
        }
        fatalError("policies/ not found above \(#filePath)")
    }

    static func text(_ fileName: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
    }

    /// The parsed seed; records an issue and stops the test when it does not load.
    static func policy(_ fileName: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> IncentivePolicy {
        switch IncentivePolicy.parse(yaml: try text(fileName)) {
        case .success(let policy): return policy
        case .failure(let errors):
            Issue.record("\(fileName) does not load:\n\(errors)", sourceLocation: sourceLocation)
            throw errors
        }
    }

    static var jingzhou: IncentivePolicy { get throws { try policy("jingzhou-one-time-support.yaml") } }
    static var xianfengAward: IncentivePolicy { get throws { try policy("xianfeng-one-time-award.yaml") } }
    static var xianfengAllowance: IncentivePolicy { get throws { try policy("xianfeng-monthly-allowance.yaml") } }
    static var xuanchengReward: IncentivePolicy { get throws { try policy("xuancheng-exam-reward.yaml") } }
    static var xuanchengAllowance: IncentivePolicy { get throws { try policy("xuancheng-community-allowance.yaml") } }
}

/// `"2025-03-01"` → CivilDate; tests write dates as text for legibility.
func policyDate(_ text: String) -> CivilDate { CivilDate(iso: text)! }
func policyMonth(_ text: String) -> CivilMonth { CivilMonth(iso: text)! }

/// People as a county office would enter them.
enum PolicyPeople {
    static func certificate(_ level: CertificateLevel, _ issued: String, number: String = "S2025420000001",
                            lowScoreArea: Bool = false) -> HeldCertificate {
        HeldCertificate(level: level, number: number, issueDate: policyDate(issued), lowScoreArea: lowScoreArea)
    }

    /// Works in `region` (structural path), one post.
    static func person(region: String, category: PostCategory = .communityWorker, employer: EmployerKind? = .villageOrResidentCommittee,
                       postStart: String = "2020-01-01", postEnd: String? = nil,
                       certificates: [HeldCertificate] = [], awards: [GrantedAward] = [], id: String = "p1") -> PersonSnapshot {
        PersonSnapshot(id: id,
                       regionPath: PersonSnapshot.structuralPath(to: try! RegionCode.parse(region).get()),
                       posts: [PostTenure(category: category, employerKind: employer, start: policyDate(postStart), end: postEnd.map(policyDate))],
                       certificates: certificates, awards: awards)
    }

    /// A 沙市区 (荆州市) worker.
    static func jingzhou(_ certificates: [HeldCertificate], awards: [GrantedAward] = []) -> PersonSnapshot {
        person(region: "421002001", category: .socialWorkOrganization, employer: .socialOrganization,
               certificates: certificates, awards: awards)
    }

    /// A 咸丰县 community cadre (社区干部: 社区工作者 at a residents' committee).
    static func xianfengCommunityCadre(_ certificates: [HeldCertificate], postStart: String = "2020-01-01", postEnd: String? = nil) -> PersonSnapshot {
        person(region: "422826001001", category: .communityWorker, employer: .villageOrResidentCommittee,
               postStart: postStart, postEnd: postEnd, certificates: certificates)
    }
}

extension IncentivePolicy {
    /// The same policy with every version's field changed, for rule variants.
    func policyWithVersions(_ change: (inout PolicyVersion) -> Void) -> IncentivePolicy {
        var copy = self
        for index in copy.versions.indices { change(&copy.versions[index]) }
        return copy
    }
}
