import Foundation
import ShegongDomain

// The incentive policy YAML parser (Yams, then the policy's own rules).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.policy(Data(bytes: data, count: size))
    return 0
}
