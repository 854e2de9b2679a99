/// W3C extended / ELFF logs, driven by the `#Fields:` header: Blue Coat ProxySG (`main`,
/// `bcreportermain_v1`), Microsoft TMG/ISA, Cisco WSA's W3C logs, IIS.
///
/// ```
/// #Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method ...
/// 2020-05-02 00:04:19 240311 172.51.121.75 user48 - - OBSERVED "WhiteList Shopping" -  200 TCP_TUNNELED CONNECT - tcp play.google.com 443 / - - "Mozilla/5.0 ..." 172.88.888.2 2049 2060 - "none" "none"
/// ```
/// The header may change mid-file: the parser recompiles its layout when it meets a `#Fields:` line, and
/// each chunk starts with the layout in effect where it begins (the reader tracks it, `ParserContext`).
/// `-` is an empty field; quoted fields may hold spaces; ISA/TMG logs are tab-separated. `date time` is
/// UTC, as W3C specifies. `bluecoat-w3c` reads files without a header in Blue Coat's `bcreportermain_v1`
/// order (a `#Fields:` line still takes over). A line before any header, with fewer columns than the
/// host needs, or without a usable time is malformed.
public struct W3CParser: LogLineParser {
    public static let format = LogFormat.w3c
    public static var hasDirectives: Bool { true }
    var layout: W3CFieldLayout?
    let scratch = ParserScratch()

    /// `header`: the `#Fields:` line in effect (nil: none yet); `blueCoatDefault`: read header-less
    /// lines in `bcreportermain_v1` order.
    public init(header: [UInt8]? = nil, blueCoatDefault: Bool = false) {
        if let header, let compiled = header.withUnsafeBytes({ W3CFieldLayout(fieldsLine: $0) }) {
            layout = compiled
        } else {
            layout = blueCoatDefault ? .blueCoatMainV1 : nil
        }
    }

    init(layout: W3CFieldLayout) { self.layout = layout }

    /// `#Fields:` recompiles the layout; `#Software:`, `#Version:`, `#Date:`, `#Remark:`, `#Start-Date:`,
    /// `#End-Date:` are header lines too. Any other line starting with `#` is malformed (junk, not W3C).
    public mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 1, line[0] == ASCII.hash else { return false }
        if let compiled = W3CFieldLayout(fieldsLine: line) { layout = compiled; return true }
        let all = ByteSpan(start: 0, count: line.count)
        return line.hasPrefix(all, "#Software:") || line.hasPrefix(all, "#Version:") || line.hasPrefix(all, "#Date:")
            || line.hasPrefix(all, "#Remark:") || line.hasPrefix(all, "#Start-Date:") || line.hasPrefix(all, "#End-Date:")
    }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        guard let layout, layout.lastUsefulColumn >= 0 else { return false }
        var f = W3CValues()
        var column = 0
        let n = line.count
        var i = 0
        let last = layout.lastUsefulColumn
        let tabs = layout.tabSeparated
        layout.roles.withUnsafeBufferPointer { roles in
            while column <= last && i <= n {
                let token: ByteSpan
                if tabs {
                    let start = i
                    while i < n && line[i] != ASCII.tab { i += 1 }
                    token = ByteSpan(start: start, count: i - start)
                    i += 1
                } else {
                    while i < n && (line[i] == ASCII.space || line[i] == ASCII.tab) { i += 1 }
                    guard i < n else { break }
                    if line[i] == ASCII.quote {
                        let start = i + 1
                        i = start
                        while i < n && line[i] != ASCII.quote { i += 1 }
                        token = ByteSpan(start: start, count: i - start)
                        i += 1
                    } else {
                        let start = i
                        while i < n && line[i] != ASCII.space && line[i] != ASCII.tab { i += 1 }
                        token = ByteSpan(start: start, count: i - start)
                    }
                }
                f.set(roles[column], line.isNoValue(token) ? ByteSpan(start: token.start, count: 0) : token)
                column += 1
            }
        }
        guard column > last || column >= layout.roles.count else { return false }

        return f.build(line, scratch, fallbackTime: nil, &record)
    }
}
