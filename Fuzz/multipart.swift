import Foundation
import ShegongDomain

// The multipart part header (Content-Disposition: name, filename, RFC 5987 filename*).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.multipart(Data(bytes: data, count: size))
    return 0
}
