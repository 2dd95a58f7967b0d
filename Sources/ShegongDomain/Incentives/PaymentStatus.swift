import Foundation

/// Where a payment batch stands (`payment_batches.status`): computed as a draft, approved once,
/// recorded paid. The stored text is the raw value, so JSON and the database read as before.
public enum PaymentBatchStatus: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case draft, approved, paid
    public var catalogueKey: String { "status.batch.\(rawValue)" }
}

/// Where one payment line stands (`payment_lines.state`); a rejected line is left out of totals.
public enum PaymentLineState: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case draft, approved, paid, rejected
    public var catalogueKey: String { "status.line.\(rawValue)" }

    /// The states that commit money: counted against the budget and as already paid for arrears.
    public static let committed: [PaymentLineState] = [.approved, .paid]
}

/// Where an award application stands (`award_applications.status`): under review until the last
/// level the policy names approves it, or rejected, or returned to the applicant for changes.
public enum ApplicationStatus: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case submitted, approved, rejected, returned
    public var catalogueKey: String { "status.application.\(rawValue)" }
}

