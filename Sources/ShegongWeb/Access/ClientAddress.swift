import Foundation
import Vapor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address or CIDR block (`10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`): the proxies whose
/// `X-Forwarded-For` Shegong believes (`SHEGONG_TRUSTED_PROXIES`).
struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6); IPv4-mapped IPv6 addresses are read as IPv4.
    let bytes: [UInt8]
    let prefix: Int

    static let loopback = [AddressRange("127.0.0.0/8")!, AddressRange("::1")!]

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = Self.parse(String(first)) else { return nil }
        let maximum = address.count * 8
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maximum).contains(n) else { return nil }
            prefix = n
        } else {
            prefix = maximum
        }
        bytes = address
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        for i in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[i] & mask != address[i] & mask { return false }
            remaining -= bits
        }
        return true
    }

    var description: String { "\(Self.format(bytes))/\(prefix)" }

    /// The bytes of an IPv4 or IPv6 address, nil for anything else. Accepts `[v6]`, `[v6]:port`
    /// and `v4:port` as proxies write them.
    static func parse(_ raw: String) -> [UInt8]? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, text.contains(".") {
            text = String(text.prefix { $0 != ":" })
        }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        }
        return nil
    }

    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var copy = bytes
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return copy.withUnsafeMutableBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil ? String(cString: buffer) : ""
        }
    }
}

/// Who is on the other end (issue #10 item 7). The peer's address, unless the peer is a trusted
/// proxy; then `X-Forwarded-For` is read from the right (each proxy appends the address it saw)
/// and the first entry that is not itself a trusted proxy is the client. Entries further left
/// were written by whoever sent the request and prove nothing, so a forged leftmost entry
/// changes neither the rate limit nor the audit log.
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trusted: [AddressRange]) -> String? {
        guard let peer, let peerBytes = AddressRange.parse(peer) else { return peer }
        func isTrusted(_ bytes: [UInt8]) -> Bool { trusted.contains { $0.contains(bytes) } }
        guard isTrusted(peerBytes) else { return AddressRange.format(peerBytes) }
        let entries = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var nearest = peerBytes
        for entry in entries.reversed() {
            // An entry that is not an address was not written by a proxy we trust: stop at the
            // last address a trusted proxy vouched for.
            guard let bytes = AddressRange.parse(entry) else { break }
            nearest = bytes
            if !isTrusted(bytes) { break }
        }
        return AddressRange.format(nearest)
    }
}
