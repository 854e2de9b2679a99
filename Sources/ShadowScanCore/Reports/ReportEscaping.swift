import Mustache

/// Every string that came from a log is hostile. Reports pass such values through `ReportText.clean`
/// (bounded, no control or direction-override characters) and then through the escaping of the output
/// format: the Mustache content types below for HTML and Markdown, `CSVField` for CSV, `JSONValue` for JSON.
public enum ReportText {
    /// Replaces C0/C1 control characters and Unicode direction overrides (which can make a report read
    /// differently from what it holds) with U+FFFD, and cuts the value at `limit` scalars with "…".
    public static func clean(_ s: String, limit: Int = 200) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in s.unicodeScalars {
            if count == limit { out.append("…"); break }
            count += 1
            out.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0)
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069) || v == 0x200E || v == 0x200F
            || v == 0x2028 || v == 0x2029 || v == 0xFEFF
    }
}

/// HTML text and quoted-attribute escaping, one Unicode scalar at a time.
///
/// Mustache's built-in HTML escaping looks characters up as grapheme clusters, so a quote followed by a
/// combining mark (`"\u{301}`) is one `Character`, is not found in its table, and reaches the page raw: a
/// way out of an attribute. Escaping scalars closes that. Templates select this with
/// `{{% CONTENT_TYPE: SHADOWSCAN_HTML}}` at the top of every template and partial (partials start over
/// with Mustache's default).
struct HTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "`": out.append(contentsOf: "&#96;".unicodeScalars)
            case "=": out.append(contentsOf: "&#61;".unicodeScalars)
            default:
                out.append(ReportText.isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }
}

/// Markdown escaping for values placed in tables and sentences.
///
/// Plain values (letters, digits, spaces, `. , % ( ) / + - ; ' " ? !`, a colon before a space, and non-ASCII
/// text, with no `www.`) pass unchanged. Anything
/// else becomes a code span: its content is never read as Markdown, HTML, an entity or a link (GitHub's
/// autolinks ignore backslash escapes once resolved, but not code spans). Pipes are escaped inside the
/// span, as GitHub's table syntax requires; backticks get a longer fence.
struct MarkdownEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        let cleaned = ReportText.clean(text, limit: 500)
        if isPlain(cleaned) { return cleaned }
        var longestRun = 0, run = 0
        var body = ""
        for scalar in cleaned.unicodeScalars {
            if scalar == "`" { run += 1; longestRun = max(longestRun, run) } else { run = 0 }
            if scalar == "|" { body.append("\\|") } else { body.unicodeScalars.append(scalar) }
        }
        let fence = String(repeating: "`", count: longestRun + 1)
        // A space on each side keeps a leading or trailing backtick off the fence (CommonMark strips one).
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.hasPrefix(" ") || body.hasSuffix(" ") ? " " : ""
        return fence + pad + body + pad + fence
    }

    static func isPlain(_ s: String) -> Bool {
        if s.isEmpty { return true }
        let lower = s.lowercased()
        // GitHub turns www. and scheme:// into links even without markup.
        if lower.contains("www.") || lower.contains("://") { return false }
        if s.first == " " || s.last == " " { return false }
        // A colon only as punctuation ("key: value"): `scheme:thing` could read as a link somewhere.
        let scalars = Array(s.unicodeScalars)
        for (i, scalar) in scalars.enumerated() where scalar == ":" && i + 1 < scalars.count && scalars[i + 1] != " " { return false }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", ".", ",", "%", "(", ")", "/", "+", "-", ":", ";", "'", "\"", "?", "!": continue
            default:
                // Markdown syntax is ASCII; other scalars (control and direction characters are already
                // replaced by `clean`) carry no meaning.
                if scalar.value >= 0xA0 { continue }
                return false
            }
        }
        // A leading "-" or "+" could start a list when a value begins a line.
        return !(s.hasPrefix("-") || s.hasPrefix("+"))
    }
}

/// One CSV field (RFC 4180) that a spreadsheet will not run: a value starting with `=`, `+`, `-` or `@`
/// gets a leading `'` (OWASP's advice against formula injection); tabs, carriage returns and other control
/// characters become U+FFFD; fields with commas, semicolons or quotes are quoted, quotes doubled.
public enum CSVField {
    public static func text(_ value: String) -> String {
        // Line breaks inside a field are legal, but no log value needs one: they become U+FFFD with the
        // other control characters.
        let cleaned = ReportText.clean(value, limit: 2000)
        var body = ""
        var quote = false
        if let first = cleaned.unicodeScalars.first, formulaLeads.contains(first) { body = "'" }
        for scalar in cleaned.unicodeScalars {
            switch scalar {
            case "\"": body.append("\"\""); quote = true
            // Semicolons separate fields in some locales' spreadsheets.
            case ",", ";": body.unicodeScalars.append(scalar); quote = true
            default: body.unicodeScalars.append(scalar)
            }
        }
        if cleaned.hasPrefix(" ") || cleaned.hasSuffix(" ") { quote = true }
        return quote ? "\"" + body + "\"" : body
    }

    /// Characters that make a spreadsheet read a cell as a formula (full-width forms included: some
    /// locales' spreadsheets fold them).
    static let formulaLeads: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    public static func number(_ value: Int64) -> String { String(value) }
    public static func number(_ value: Int64?) -> String { value.map(String.init) ?? "" }
}

enum ReportContentTypes {
    /// Registers the escaping content types once, before any template is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(HTMLEscaping(), named: "SHADOWSCAN_HTML")
        MustacheContentTypes.register(MarkdownEscaping(), named: "SHADOWSCAN_MARKDOWN")
        return true
    }()
}
