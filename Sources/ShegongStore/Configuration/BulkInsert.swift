import Foundation
import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// Bulk writes of many rows at once (the census import, issue #15). On PostgreSQL the rows go in
/// with `COPY table (columns) FROM STDIN` in text format on the connection of the caller's
/// transaction, so a file rejected later rolls them back with everything else. On SQLite (and on
/// any database that is not a PostgreSQL connection) they go in as chunked multi-row INSERTs.
enum BulkInsert {
    /// Rows sent to the server per COPY data message, about this many bytes at a time.
    static let messageBytes = 256 * 1024

    /// The PostgreSQL connection a COPY would use, nil when rows go in by INSERT.
    static func postgres(_ sql: any SQLDatabase) -> (any PostgresDatabase)? {
        guard sql.dialect.name == "postgresql" else { return nil }
        return sql as? any PostgresDatabase
    }

    /// Whether `bulkInsert` on `sql` uses COPY.
    static func usesCopy(_ sql: any SQLDatabase) -> Bool { postgres(sql) != nil }

    /// A value the text format cannot carry.
    struct UnsupportedValue: Error, CustomStringConvertible {
        let table: String
        let column: String
        let type: String
        var description: String { "bulk insert into \(table).\(column): no COPY text form for a value of type \(type)" }
    }

    /// Appends the rows in COPY's text format: columns separated by a tab, rows ended by a newline,
    /// NULL as `\N`, and a backslash, tab, newline or carriage return inside a value escaped with a
    /// backslash (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").
    static func appendText(_ row: [any Encodable & Sendable], table: String, columns: [String], to buffer: inout ByteBuffer) throws {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            try appendValue(value, to: &buffer) { type in
                UnsupportedValue(table: table, column: index < columns.count ? columns[index] : "#\(index)", type: type)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// The concrete types are tried first (a cast to one also unwraps an Optional holding it): the
    /// cast to the protocol `BulkOptional` looks conformances up and, tried first on every value,
    /// took a sixth of a PostgreSQL import's own CPU. It is left for what remains, the nils.
    private static func appendValue(_ value: Any, to buffer: inout ByteBuffer, unsupported: (String) -> UnsupportedValue) throws {
        switch value {
        case let text as String: appendEscaped(text, to: &buffer); return
        case let flag as Bool: buffer.writeInteger(flag ? UInt8(ascii: "t") : UInt8(ascii: "f")); return
        case let number as Int: buffer.writeString(String(number)); return
        case let number as Int64: buffer.writeString(String(number)); return
        case let number as Int32: buffer.writeString(String(number)); return
        case let number as Double: buffer.writeString(String(number)); return
        default: break
        }
        guard let optional = value as? any BulkOptional else { throw unsupported(String(describing: type(of: value))) }
        guard let wrapped = optional.bulkWrapped else {
            buffer.writeStaticString("\\N")
            return
        }
        try appendValue(wrapped, to: &buffer, unsupported: unsupported)
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() {
                let escaped: UInt8
                switch byte {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                default: continue
                }
                if i > start { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<i])) }
                buffer.writeInteger(UInt8(ascii: "\\"))
                buffer.writeInteger(escaped)
                start = i + 1
            }
            if start < bytes.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...])) }
        }
    }

    /// COPY of `rows` into `table` on the connection `postgres` stands for (inside a transaction,
    /// that transaction's own connection).
    static func copy(_ postgres: any PostgresDatabase, into table: String, columns: [String],
                     rows: [[any Encodable & Sendable]]) async throws {
        let logger = postgres.logger
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(messageBytes + 4096)
                    for row in rows {
                        try appendText(row, table: table, columns: columns, to: &buffer)
                        if buffer.readableBytes >= messageBytes {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }.get()
    }
}

/// Lets a value boxed as `any Encodable` be recognised as nil.
private protocol BulkOptional {
    var bulkWrapped: Any? { get }
}

extension Optional: BulkOptional {
    fileprivate var bulkWrapped: Any? { self.map { $0 as Any } }
}

extension SQLDatabase {
    /// Writes many rows into `table`: COPY on PostgreSQL, chunked INSERTs elsewhere (`BulkInsert`).
    /// Table and column names are the code's own, never data.
    func bulkInsert(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        if let postgres = BulkInsert.postgres(self) {
            try await BulkInsert.copy(postgres, into: table, columns: columns, rows: rows)
        } else {
            try await insertChunked(into: table, columns: columns, rows: rows)
        }
    }
}
