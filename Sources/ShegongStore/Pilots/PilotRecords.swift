import Foundation
import ShegongDomain

/// A fusion pilot as lists show it (docs/pilots.md).
public struct PilotSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    /// `PilotTier` raw value.
    public var tier: String
    public var periodStart: String?
    public var periodEnd: String?
    public var leadOrganizationID: String?
    public var leadOrganizationName: String?
    /// What the good-case indicator counts: the selected cases once the pilot has workflow cases,
    /// the typed number before.
    public var goodPracticeCases: Int
    /// The number typed in before the pilot's first workflow case (nil while it has none).
    public var legacyGoodPracticeCases: Int?
    public var volunteers: Int
    public var cases: Int
}

/// A pilot's place, for the service's rules of who may.
public struct PilotPlace: Sendable, Equatable {
    public var id: String
    public var name: String
    public var region: Region
    public var leadOrganizationID: String?
}

public struct PilotMember: Codable, Sendable, Equatable {
    public var personID: String
    public var name: String
}

/// A volunteer: identifiers masked only; the hours summed in SQL.
public struct PilotVolunteer: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var mobile: String?
    public var idNumber: String?
    public var skills: String?
    public var activities: Int
    public var minutes: Int
}

public struct PilotTeam: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var leaderPersonID: String
    public var leaderName: String
    public var volunteerIDs: [String]
}

public struct PilotActivity: Codable, Sendable, Equatable {
    public struct Participant: Codable, Sendable, Equatable {
        public var volunteerID: String
        public var name: String
        public var minutes: Int
    }
    public var id: String
    public var title: String
    /// `PilotActivityKind` raw value.
    public var kind: String
    public var date: String
    public var startTime: String
    public var endTime: String
    public var teamID: String?
    public var beneficiaries: Int
    public var participants: [Participant]
}

public struct PilotCaseStep: Codable, Sendable, Equatable {
    public var action: String
    public var from: String
    public var to: String
    public var reviewer: String
    public var reason: String?
    /// ISO 8601 UTC.
    public var at: String
}

public struct PilotCase: Codable, Sendable, Equatable {
    public var id: String
    public var pilotID: String
    public var title: String
    public var narrative: String
    /// `PracticeCaseState` raw value.
    public var state: String
    public var createdBy: String
    public var updatedAt: String
    public var steps: [PilotCaseStep]
    public var files: [EvidenceFile]
}

public struct PilotDetail: Codable, Sendable, Equatable {
    public var pilot: PilotSummary
    public var members: [PilotMember]
    public var volunteers: [PilotVolunteer]
    public var teams: [PilotTeam]
    public var activities: [PilotActivity]
    public var cases: [PilotCase]
}

/// A stored case evidence file with its bytes and the pilot whose readers may download it.
public struct StoredCaseEvidence: Sendable {
    public var file: EvidenceFile
    public var caseID: String
    public var pilotID: String
    public var content: Data
}

/// The kinds of pilot activity (stored as the raw value).
public enum PilotActivityKind: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case elderly, children, disability, governance, counselling, emergency, other
    public var catalogueKey: String { "pilot.activity.kind.\(rawValue)" }
}

/// Inputs of the pilots' writes (the API's JSON bodies and the pages' forms).
public enum PilotInput {
    public struct Details: Codable, Sendable {
        public var periodStart: String?
        public var periodEnd: String?
        public var leadOrganizationID: String?
        public init(periodStart: String?, periodEnd: String?, leadOrganizationID: String?) {
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.leadOrganizationID = leadOrganizationID
        }
    }

    public struct Member: Codable, Sendable {
        public var personID: String
        public init(personID: String) { self.personID = personID }
    }

    public struct Volunteer: Codable, Sendable {
        public var name: String
        public var mobile: String
        public var skills: String?
        public var idNumber: String?
        public init(name: String, mobile: String, skills: String? = nil, idNumber: String? = nil) {
            self.name = name
            self.mobile = mobile
            self.skills = skills
            self.idNumber = idNumber
        }
    }

    public struct Team: Codable, Sendable {
        public var name: String
        public var leaderPersonID: String
        public var volunteerIDs: [String]
        public init(name: String, leaderPersonID: String, volunteerIDs: [String]) {
            self.name = name
            self.leaderPersonID = leaderPersonID
            self.volunteerIDs = volunteerIDs
        }
    }

    public struct Activity: Codable, Sendable {
        public struct Participant: Codable, Sendable {
            public var volunteerID: String
            public var hours: Double
            public init(volunteerID: String, hours: Double) {
                self.volunteerID = volunteerID
                self.hours = hours
            }
        }
        public var title: String
        public var kind: String
        public var date: String
        public var startTime: String
        public var endTime: String?
        public var durationMinutes: Int?
        public var teamID: String?
        public var beneficiaries: Int
        public var participants: [Participant]
        public init(title: String, kind: String, date: String, startTime: String, endTime: String? = nil, durationMinutes: Int? = nil,
                    teamID: String? = nil, beneficiaries: Int, participants: [Participant]) {
            self.title = title
            self.kind = kind
            self.date = date
            self.startTime = startTime
            self.endTime = endTime
            self.durationMinutes = durationMinutes
            self.teamID = teamID
            self.beneficiaries = beneficiaries
            self.participants = participants
        }
    }

    public struct Case: Codable, Sendable {
        public var title: String
        public var narrative: String
        public init(title: String, narrative: String) {
            self.title = title
            self.narrative = narrative
        }
    }

    public struct Step: Codable, Sendable {
        /// `PracticeCaseAction` raw value: submit, recommend, select, return, reject.
        public var action: String
        public var reason: String?
        public init(action: String, reason: String?) {
            self.action = action
            self.reason = reason
        }
    }
}
