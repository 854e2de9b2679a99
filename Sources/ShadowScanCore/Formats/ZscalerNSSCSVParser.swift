/// Zscaler NSS web logs, CSV or tab-separated feed. Columns follow the default NSS web feed order
/// (`ZscalerField.defaultCSVOrder`: "time","login","proto","eurl","action",…) unless the file starts with a
/// header row of NSS field names, which then decides the columns (the reader hands it to every chunk).
///
/// ```
/// "Fri Dec 31 07:07:07 2021","test@example.com","HTTP","www.example.com","Blocked","General Browsing","General Browsing","600","65",…
/// ```
public struct ZscalerNSSCSVParser: LogLineParser {
    public static let format = LogFormat.zscalerCSV
    public static var hasDirectives: Bool { true }
    var columns: [ZscalerField]
    let scratch = ParserScratch()

    public init(header: [UInt8]? = nil) {
        columns = Self.defaultColumns
        if let header, let compiled = header.withUnsafeBytes({ Self.columns(fromHeader: $0) }) { columns = compiled }
    }

    static let defaultColumns: [ZscalerField] = ZscalerField.defaultCSVOrder.map { name in
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBytes { ZscalerField.named($0, ByteSpan(start: 0, count: bytes.count)) }
    }

    static func columns(fromHeader line: UnsafeRawBufferPointer) -> [ZscalerField]? {
        guard CSVHeader.looksLikeHeader(line) else { return nil }
        var scanner = DelimitedScanner(line, separator: CSVHeader.separator(of: line))
        var columns: [ZscalerField] = []
        while let f = scanner.next(), columns.count < 512 { columns.append(ZscalerField.named(line, line.trimmed(f))) }
        return columns.contains(.url) || columns.contains(.host) ? columns : nil
    }

    public mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let compiled = Self.columns(fromHeader: line) else { return false }
        columns = compiled
        return true
    }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        guard line.count > 0 else { return false }
        var scanner = DelimitedScanner(line, separator: CSVHeader.separator(of: line))
        var values = ZscalerValues()
        var count = 0
        columns.withUnsafeBufferPointer { columns in
            while count < columns.count, let field = scanner.next() {
                values.set(columns[count], field)
                count += 1
            }
        }
        // Every column must be there: a cut line, or another product's CSV, is malformed.
        guard count == columns.count else { return false }
        return values.build(line, scratch, &record)
    }
}
