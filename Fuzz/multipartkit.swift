import Foundation

// MultipartKit's own body parser and form-data decoder (Tests/ShegongWebTests/MultipartFuzzBody.swift).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipartKit(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    MultipartFuzzBody.run(Data(bytes: data, count: size))
    return 0
}
