import Foundation
import ShegongDomain

/// Fixture helpers for the indicator, target, plan and exam tests (prefixed `Indicator` so they
/// cannot clash with other helpers in the shared test target).
enum IndicatorFixture {
    static func date(_ text: String) -> CivilDate {
        guard let date = CivilDate(iso: text) else { fatalError("bad fixture date \(text)") }
        return date
    }

    static func region(_ text: String) -> RegionCode {
        guard case .success(let code) = RegionCode.parse(text) else { fatalError("bad fixture region \(text)") }
        return code
    }

    static func observation(_ date: String, _ value: Double) -> TargetObservation {
        TargetObservation(date: Self.date(date), value: value)
    }

    static let jiuquan = region("620900")

    /// The repository's `plans/` folder, found by walking up from this file.
    static var plansDirectory: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent("plans")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("jiuquan-2025.yaml").path) {
                return candidate
            }
            url.deleteLastPathComponent()
        }
        fatalError("plans/ not found above \(#filePath)")
    }

    /// Inputs for one indicator: its numerator and (if any) denominator values; nil leaves a term out.
    static func inputs(_ definition: IndicatorDefinition, numerator: Int?, denominator: Int? = nil) -> IndicatorInputs {
        var inputs = IndicatorInputs()
        inputs[definition.numerator] = numerator
        if let term = definition.denominator { inputs[term] = denominator }
        return inputs
    }
}
