/// `shadowscan formats detect`: the format a file would be read as, with the reason, from its first
/// (decompressed) bytes, the same bytes and rules `analyse` uses.
public struct FileFormatDetection: Sendable {
    public enum Outcome: Sendable {
        case detected(FormatDetector.Detection)
        /// Readable, but no format reads enough of its first lines: the message shows its first line.
        case unknown(String)
        case unreadable(String)
    }

    public struct Score: Sendable {
        public let format: LogFormat
        public let parsed: Int
        public let sampled: Int
    }

    public let result: Outcome
    /// The container the file was decompressed from (`gzip`...), nil for plain files.
    public let compression: String?
    /// How many sampled lines each format reads, in detection order.
    public let scores: [Score]
}

extension FormatDetector {
    public static func detect(file source: InputSource, fieldMap: JSONFieldMap? = nil) -> FileFormatDetection {
        let bytes: any ByteSource
        switch InputOpener.open(source) {
        case .success(let opened): bytes = opened
        case .failure(let error): return FileFormatDetection(result: .unreadable(error.message), compression: nil, scores: [])
        }
        defer { bytes.close() }
        var prefix = [UInt8](repeating: 0, count: ChunkReader.detectionBytes)
        let (length, error) = prefix.withUnsafeMutableBytes { bytes.readFully(into: $0.baseAddress!, count: $0.count) }
        let compression = bytes.compression?.rawValue
        guard length > 0 else {
            return FileFormatDetection(result: .unreadable(error?.message ?? "empty file"), compression: compression, scores: [])
        }
        return prefix.withUnsafeBytes { raw in
            let sample = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            let scores = score(sample, fieldMap: fieldMap)
            if let detection = detect(sample, fieldMap: fieldMap) {
                return FileFormatDetection(result: .detected(detection), compression: compression, scores: scores)
            }
            let message = "not in a known log format (first line: \"\(firstLinePreview(sample))\")"
            return FileFormatDetection(result: .unknown(message), compression: compression, scores: scores)
        }
    }

    /// Every format's count of parsed lines among the sampled ones (what `detect` chooses from).
    public static func score(_ prefix: UnsafeRawBufferPointer, fieldMap: JSONFieldMap? = nil) -> [FileFormatDetection.Score] {
        let lines = sample(prefix)
        var record = ProxyRecord()
        return preference.map { format in
            var parser = format.detectionParser(fieldMap: fieldMap)
            var parsed = 0, headers = 0
            for line in lines {
                if type(of: parser).hasDirectives && parser.directive(line) { headers += 1 }
                else if parser.parse(line, into: &record) { parsed += 1 }
            }
            return FileFormatDetection.Score(format: format, parsed: parsed, sampled: lines.count - headers)
        }
    }
}
