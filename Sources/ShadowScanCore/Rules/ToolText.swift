import Foundation

/// Text from logs and rule files made safe for a terminal: the tools print hostile strings (log lines,
/// hosts, user agents), so control characters, escape sequences and bidirectional overrides are shown
/// as `\xNN` / `\u{NNNN}` instead of acting on the terminal, and long values are cut.
public enum ToolText {
    public static func terminal(_ text: String, limit: Int = 2048) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { out += "… (\(text.unicodeScalars.count - count) more characters)"; break }
            count += 1
            switch scalar.value {
            case 0x00..<0x20, 0x7F:
                out += "\\x" + hex(scalar.value, width: 2)
            case 0x80..<0xA0, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF:
                // C1 controls, zero-width and bidirectional controls: invisible or reordering.
                out += "\\u{" + hex(scalar.value, width: 4) + "}"
            case 0xFFFD:
                out += "\\u{FFFD}"   // a byte that was not UTF-8
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A value for a YAML single-quoted scalar: quotes doubled, and only printable characters
    /// (imported lists are hostile too).
    public static func yamlQuoted(_ text: String) -> String {
        "'" + terminal(text, limit: 4096).replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
