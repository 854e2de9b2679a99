/// The header row of a CSV export (Forcepoint's "Date","Time","User",…; a Zscaler CSV feed with its field
/// names first). When a file starts with one, its column order replaces the product's default order.
enum CSVHeader {
    /// A first line whose first field is a word (no digits) and that names a URL or host column.
    static func looksLikeHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 0 else { return false }
        let separator = separator(of: line)
        var scanner = DelimitedScanner(line, separator: separator)
        guard let first = scanner.next(), first.count > 0 else { return false }
        for i in first.start..<first.end where ASCII.isDigit(line[i]) { return false }
        var fields = 1
        var namesURL = false
        var field: ByteSpan? = first
        while let f = field {
            let name = line.trimmed(f)
            if line.equalsIgnoringCase(name, "url") || line.equalsIgnoringCase(name, "eurl") || line.equalsIgnoringCase(name, "hostname")
                || line.equalsIgnoringCase(name, "host") || line.hasPrefixIgnoringCase(name, "url ") { namesURL = true }
            field = scanner.next()
            if field != nil { fields += 1 }
        }
        return fields >= 3 && namesURL
    }

    /// The separator after the first field: tab or comma (only the first field is looked at, so this
    /// costs nothing per line).
    @inline(__always)
    static func separator(of line: UnsafeRawBufferPointer) -> UInt8 {
        let n = line.count
        var i = 0
        if n > 0 && line[0] == ASCII.quote {
            i = 1
            while i < n && line[i] != ASCII.quote { i += 1 }
            i += 1
        }
        while i < n {
            let b = line[i]
            if b == ASCII.tab { return ASCII.tab }
            if b == ASCII.comma { return ASCII.comma }
            i += 1
        }
        return ASCII.comma
    }

    /// The header's field names, trimmed and lower-cased, with `_` and `-` read as spaces
    /// (`Bytes Sent`, `bytes_sent` and `BYTES-SENT` are one name).
    static func names(_ line: UnsafeRawBufferPointer) -> [String] {
        var scanner = DelimitedScanner(line, separator: separator(of: line))
        var names: [String] = []
        while let f = scanner.next(), names.count < 512 {
            let t = line.trimmed(f)
            let bytes = line[t.start..<t.end].map { b -> UInt8 in
                if b == 0x5F || b == ASCII.dash { return ASCII.space }
                return b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            names.append(String(decoding: bytes, as: UTF8.self))
        }
        return names
    }
}
