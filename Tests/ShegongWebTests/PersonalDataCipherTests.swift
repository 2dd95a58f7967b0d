import Crypto
import Foundation
import ShegongStore
import XCTest

/// The keyed index finds people by ID number and mobile: every value stored in a registry was
/// made by it, so it must never change for a given key, however it is computed.
final class PersonalDataCipherTests: XCTestCase {
    let master = SymmetricKey(data: Data((0..<32).map { UInt8($0) }))

    func testTheIndexIsTheHMACOfTheValueUnderTheDerivedIndexKey() {
        let cipher = PersonalDataCipher(masterKey: master)
        let indexKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("shegong/hmac-index/v1".utf8), outputByteCount: 32)
        for value in ["110101199003071234", "13800138000", "", "张三", "44030519851231002X"] {
            let expected = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: indexKey)
                .map { String(format: "%02x", $0) }.joined()
            XCTAssertEqual(cipher.index(value), expected, value)
        }
    }

    func testTheIndexOfAKnownValueStaysTheSame() {
        let cipher = PersonalDataCipher(masterKey: master)
        // HKDF-SHA256 (RFC 5869, no salt) then HMAC-SHA256, worked out apart from Swift (Python hmac).
        XCTAssertEqual(cipher.index("110101199003071234"), "f67fd70175bd630f78c5c4500c0395db9d7337c2085806d8c18630296eafd7cd")
        // One cipher used by many rows and tasks gives the same answer every time.
        let values = (0..<200).map { "11010119900307\(1000 + $0)" }
        let first = values.map(cipher.index)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            XCTAssertEqual(values.map(cipher.index), first)
        }
    }
}
