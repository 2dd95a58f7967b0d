import Crypto
import Foundation

/// Time-based one-time passwords, RFC 6238 with the parameters every authenticator app uses:
/// HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits; a code of the step before or after
/// is accepted too, for clock drift. Lives in the store because HMAC comes from swift-crypto,
/// which only the store depends on.
public struct TOTP: Sendable {
    public static let period: TimeInterval = 30
    public static let digits = 6
    /// Steps either side of now that are accepted.
    public static let window = 1

    public let secret: [UInt8]

    public init(secret: [UInt8]) { self.secret = secret }

    public init?(base32 text: String) {
        guard let bytes = Base32.decode(text), !bytes.isEmpty else { return nil }
        secret = bytes
    }

    /// A new 160-bit secret (RFC 4226 §4 recommends 160 bits).
    public static func generate() -> TOTP {
        TOTP(secret: (0..<20).map { _ in UInt8.random(in: .min ... .max) })
    }

    public var base32: String { Base32.encode(secret) }

    /// The `otpauth://` URI authenticator apps read from a QR code.
    public func provisioningURI(account: String, issuer: String = "Shegong") -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let iss = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(base32)&issuer=\(iss)&algorithm=SHA1&digits=\(Self.digits)&period=\(Int(Self.period))"
    }

    public static func step(at date: Date) -> UInt64 {
        UInt64(max(0, floor(date.timeIntervalSince1970 / period)))
    }

    /// The code for a time step (RFC 4226 HOTP with the step as counter), `digits` long.
    public func code(step: UInt64, digits: Int = TOTP.digits) -> String {
        var counter = step.bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    public func code(at date: Date, digits: Int = TOTP.digits) -> String {
        code(step: Self.step(at: date), digits: digits)
    }

    /// The matching step, if `candidate` is the code of now or of a neighbouring step. Callers keep
    /// the last accepted step so a code cannot be used twice (RFC 6238 §5.2).
    public func matchingStep(_ candidate: String, at date: Date) -> UInt64? {
        let digitsOnly = candidate.filter { !$0.isWhitespace }
        guard digitsOnly.count == Self.digits, digitsOnly.allSatisfy(\.isASCII), digitsOnly.allSatisfy(\.isNumber) else { return nil }
        let now = Self.step(at: date)
        for delta in -Self.window...Self.window {
            let step = Int64(now) + Int64(delta)
            guard step >= 0 else { continue }
            if constantTimeEqual(code(step: UInt64(step)), digitsOnly) { return UInt64(step) }
        }
        return nil
    }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// RFC 4648 base32 (upper case, padding optional on input and left off on output, as
/// authenticator apps expect).
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 0x1f)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for ch in text.uppercased().utf8 where ch != UInt8(ascii: "=") && ch != UInt8(ascii: " ") && ch != UInt8(ascii: "-") {
            guard let value = alphabet.firstIndex(of: ch) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
