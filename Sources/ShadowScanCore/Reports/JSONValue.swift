/// A JSON value with ordered object keys, so documents come out byte-identical run after run.
/// Not `indirect`: arrays and objects already keep their elements in heap buffers, and a box for every
/// scalar cost 40 MB on a document of 125,000 workaround rows.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Pretty-printed with two-space indentation and a final newline.
    public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

    /// `serialized()` as UTF-8 bytes, for writing a large document without another copy. Written as bytes:
    /// appending to a String piece by piece was most of the time of a run with many rows.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(into: &out, indent: 0)
        out.append(0x0A)
        return out
    }

    func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): JSONValue.writeInt(i, into: &out)
        case .string(let s): JSONValue.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            // Short arrays of scalars stay on one line.
            if items.count <= 8, items.allSatisfy({ if case .object = $0 { return false }; if case .array = $0 { return false }; return true }) {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(contentsOf: ", ".utf8) }
                    item.write(into: &out, indent: indent)
                }
                out.append(UInt8(ascii: "]"))
                return
            }
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
                item.write(into: &out, indent: indent + 2)
                out.append(contentsOf: (i == items.count - 1 ? "\n" : ",\n").utf8)
            }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(contentsOf: "{\n".utf8)
            for (i, (key, value)) in members.enumerated() {
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
                JSONValue.escape(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                value.write(into: &out, indent: indent + 2)
                out.append(contentsOf: (i == members.count - 1 ? "\n" : ",\n").utf8)
            }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Decimal digits of `value`, without going through a String.
    static func writeInt(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 {
            guard value != .min else { out.append(contentsOf: String(value).utf8); return }
            out.append(UInt8(ascii: "-"))
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: room for the 20 digits of UInt64.max
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// JSON string escaping; control characters become \u escapes, so hostile log bytes stay inert.
    static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(s, into: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }

    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most values need no escaping: printable ASCII without quote or backslash goes out as it is,
        // checked and copied from the string's own contiguous bytes.
        var s = s
        let plain = s.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b >= 0x7F || b == 0x22 || b == 0x5C { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".utf8)
            case "\\": out.append(contentsOf: "\\\\".utf8)
            case "\n": out.append(contentsOf: "\\n".utf8)
            case "\r": out.append(contentsOf: "\\r".utf8)
            case "\t": out.append(contentsOf: "\\t".utf8)
            case "\u{2028}": out.append(contentsOf: "\\u2028".utf8)
            case "\u{2029}": out.append(contentsOf: "\\u2029".utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                } else {
                    out.append(contentsOf: scalar.utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension Optional where Wrapped == Int64 {
    var json: JSONValue { self.map { .int($0) } ?? .null }
}

extension Optional where Wrapped == String {
    var json: JSONValue { self.map { .string($0) } ?? .null }
}
