import Foundation
import ShegongDomain

// The XLSX reader (ZIP container, zip-bomb guards, XML scanner, shared strings, styles).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzFile.with(data, size, extension: "xlsx") { url in FuzzBodies.xlsx(url) }
    return 0
}
