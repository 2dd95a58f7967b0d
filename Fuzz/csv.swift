import Foundation
import ShegongDomain

// The CSV reader (encodings, quotes, limits): any bytes give rows or a SpreadsheetError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzFile.with(data, size, extension: "csv") { url in FuzzBodies.csv(url) }
    return 0
}
