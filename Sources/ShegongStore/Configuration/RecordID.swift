import Foundation
import Synchronization

/// Record ids in UUID text form laid out as UUIDv7 (RFC 9562): 48 bits of Unix time in
/// milliseconds, a 12-bit sequence for ids made in the same millisecond, then 62 random bits.
/// New rows land at the end of primary-key indexes instead of on random pages, so a bulk import
/// of a million people writes far fewer pages than with random UUIDs. Ids are not secrets
/// (access is checked on every request), so the random part comes from a generator seeded once
/// from the system's, not from a system call per id.
enum RecordID {
    private struct State {
        var millis: UInt64 = 0
        var sequence: UInt64 = 0
        var random = UInt64.random(in: .min ... .max)
        mutating func nextRandom() -> UInt64 {
            // SplitMix64
            random &+= 0x9E37_79B9_7F4A_7C15
            var z = random
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
    private static let state = Mutex(State())
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func make(now: Date = Date()) -> String {
        let (millis, sequence, random) = state.withLock { s -> (UInt64, UInt64, UInt64) in
            let wall = UInt64(max(0, now.timeIntervalSince1970 * 1000))
            if wall > s.millis {
                s.millis = wall
                s.sequence = 0
            } else if s.sequence < 0x0FFF {
                s.sequence += 1
            } else {
                s.millis += 1          // borrow the next millisecond
                s.sequence = 0
            }
            return (s.millis, s.sequence, s.nextRandom())
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(i))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: sequence >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: random >> (8 * UInt64(i - 8))) }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
