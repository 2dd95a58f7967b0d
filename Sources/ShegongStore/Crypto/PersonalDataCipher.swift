import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encrypts personal identifiers at rest and gives a keyed index for exact lookup
/// (docs/conventions.md §6: ID numbers and phones encrypted with a searchable keyed index).
///
/// One 256-bit master key, kept in `SHEGONG_SECRET_KEY_FILE`. Two subkeys are derived with HKDF so
/// the encryption key and the index key are never the same bytes.
public struct PersonalDataCipher: @unchecked Sendable {  // SymmetricKey is immutable
    private let encryptionKey: SymmetricKey
    /// The index key's HMAC with its key already absorbed, copied for each value: setting the key
    /// up anew cost more than hashing an ID number (a census import makes two indexes per row).
    private let keyedIndex: HMAC<SHA256>

    public init(masterKey: SymmetricKey) {
        encryptionKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("shegong/aes-gcm/v1".utf8), outputByteCount: 32)
        let indexKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("shegong/hmac-index/v1".utf8), outputByteCount: 32)
        keyedIndex = HMAC<SHA256>(key: indexKey)
    }

    /// AES-GCM, random nonce; stored as base64 of nonce ‖ ciphertext ‖ tag.
    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: encryptionKey)
        guard let combined = box.combined else { throw CipherError.sealFailed }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw CipherError.notSealed }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: encryptionKey)
        guard let text = String(data: plain, encoding: .utf8) else { throw CipherError.notSealed }
        return text
    }

    /// AES-GCM of bytes (a part of an uploaded file that holds ID numbers), random nonce:
    /// nonce ‖ ciphertext ‖ tag.
    public func seal(data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: encryptionKey).combined else { throw CipherError.sealFailed }
        return combined
    }

    public func open(data sealed: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: encryptionKey)
    }

    /// HMAC-SHA256 of the normalised value, hex. Equal inputs give equal indexes; without the key
    /// the index cannot be recomputed from a guessed ID number.
    public func index(_ value: String) -> String {
        var mac = keyedIndex
        var value = value
        value.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Self.hex(mac.finalize())
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex without String(format:), which costs more than the HMAC itself.
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public enum CipherError: Error, CustomStringConvertible {
        case sealFailed, notSealed, badKeyFile(String)
        public var description: String {
            switch self {
            case .sealFailed: return "encryption failed"
            case .notSealed: return "stored value is not an encrypted personal-data field"
            case .badKeyFile(let why): return why
            }
        }
    }
}

extension PersonalDataCipher {
    public static let keyFileEnvironmentKey = "SHEGONG_SECRET_KEY_FILE"

    /// A key that exists only in this process: for runs that must not read or create the key file
    /// (`shegong --help`). Nothing it encrypts can be read by another process.
    public static func throwaway() -> PersonalDataCipher {
        PersonalDataCipher(masterKey: SymmetricKey(size: .bits256))
    }

    /// Reads the key file, creating it (32 random bytes, base64, mode 0600) when it does not exist.
    /// A file that exists but is not a 32-byte base64 key is an error, never silently replaced:
    /// replacing it would make every stored ID number unreadable.
    public static func loadOrCreate(path: String) throws -> (cipher: PersonalDataCipher, created: Bool) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            let key = SymmetricKey(size: .bits256)
            let text = key.withUnsafeBytes { Data($0) }.base64EncodedString() + "\n"
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            // Created 0600 by open(2) itself: FileManager.createFile writes the bytes first and sets
            // the mode afterwards, leaving the key readable by others for a moment.
            guard createOwnerOnlyFile(path, Array(text.utf8)) else {
                throw CipherError.badKeyFile("cannot create key file \(path)")
            }
            return (PersonalDataCipher(masterKey: key), true)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: text), data.count == 32 else {
            throw CipherError.badKeyFile("\(keyFileEnvironmentKey) file \(path) does not hold a base64 256-bit key")
        }
        return (PersonalDataCipher(masterKey: SymmetricKey(data: data)), false)
    }

    /// The permission bits of an existing key file that its group or others may read or write
    /// (nil when only the owner may, or when there is no file yet). Whoever reads the key decrypts
    /// every stored ID and mobile number, so the server refuses to start with such a file.
    public static func exposedMode(ofKeyFile path: String) -> UInt16? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = UInt16(info.st_mode & 0o7777)
        return mode & 0o066 == 0 ? nil : mode
    }
}

/// Writes a new file created 0600 by open(2) itself (never through an existing name or link).
private func createOwnerOnlyFile(_ path: String, _ bytes: [UInt8]) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { return false }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard close(fd) == 0, written == bytes.count else {
        unlink(path)  // ours: a half-written key must not be taken for the key next time
        return false
    }
    return true
}
