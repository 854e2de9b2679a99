/// A small RFC 4180 reader for the policy's directory file. Hand-written because every problem must name
/// the line a record starts on, which the CSV libraries available to the project do not report.
enum CSVRows {
    /// Records with the 1-based line each starts on. Quoted fields may hold commas, doubled quotes and
    /// newlines; CRLF and LF both end records; a UTF-8 byte order mark is skipped.
    static func parse(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, afterQuote = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            rows.append((recordLine, fields))
            fields = []; field = ""
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty && !afterQuote {
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""; afterQuote = false
            } else if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" {
                // CRLF: handled at the LF.
            } else if c == "\n" || c == "\r" {
                endRecord(); afterQuote = false
                line += 1
                recordLine = line
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty || inQuotes { endRecord() }
        return rows
    }
}
