import Foundation
@testable import ShegongDomain

/// What each fuzz target does with one input. The same file is compiled into the regression test
/// (it lives in the domain tests: FuzzRegressionTests replays Tests/FuzzCorpus/<target>/ through it),
/// so a crash kept there is replayed exactly as the fuzzer found it.
enum FuzzBodies {
    /// Small limits: the fuzzer looks for crashes, not for the size guards' thresholds.
    static let limits = SpreadsheetLimits(maxUncompressedBytes: 8 << 20, maxSharedStringsPartBytes: 4 << 20,
                                          maxSharedStringBytes: 4 << 20, maxColumns: 200, maxCellBytes: 32_767)

    static func readAll(_ reader: any SpreadsheetRowReader) {
        for _ in 0..<100_000 {
            guard let row = try? reader.next() else { return }
            _ = row.cells.count
        }
    }

    static func csv(_ url: URL) {
        guard let reader = try? CSVRowReader(url: url, limits: limits) else { return }
        readAll(reader)
    }

    static func xlsx(_ url: URL) {
        guard let reader = try? XLSXRowReader(url: url, preferredSheet: "人才信息采集表", limits: limits) else { return }
        readAll(reader)
    }

    static func policy(_ data: Data) {
        _ = IncentivePolicy.parse(yaml: String(decoding: data, as: UTF8.self))
    }

    static func multipart(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let part = ContentDisposition.formPart(text)
        _ = part.name.count + (part.fileName?.count ?? 0)
    }
}
