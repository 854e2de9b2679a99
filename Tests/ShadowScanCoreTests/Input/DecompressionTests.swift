import Foundation
import XCTest
@testable import ShadowScanCore

/// Compressed inputs: every container gives the same analysis as the plain file, in any read size,
/// worker count and block size; concatenated streams are read through; damage keeps what came before it.
final class DecompressionTests: XCTestCase {
    static let plain: [UInt8] = Array(FileManager.default.contents(atPath: TestSupport.packageRoot.appendingPathComponent("SampleLogs/squid-native.log").path)!)
    static let catalog = try! RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
    static let lines = Int64(plain.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })

    func write(_ bytes: [UInt8], _ name: String, in dir: URL = TestSupport.temporaryDirectory()) -> String {
        let path = dir.appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// The JSON document with the input's path, name and container taken out, so runs over the same
    /// lines in different files compare equal.
    func analyse(_ path: String, workers: Int = 2, blockSize: Int = 4 << 20) -> (AnalysisResult, String) {
        let options = AnalysisOptions(workers: workers, blockSize: blockSize)
        var result = Analyzer(catalog: Self.catalog, options: options).run(paths: [path])
        for i in result.inputs.indices { result.inputs[i].path = "INPUT"; result.inputs[i].compression = nil }
        return (result, JSONReport.document(result).serialized())
    }

    /// Reads a whole input through `InputOpener` in pieces of varying size.
    func readAll(_ path: String, pieces: [Int] = [1 << 16]) -> (bytes: [UInt8], error: ByteSourceError?, source: any ByteSource) {
        guard case .success(let source) = InputOpener.open(InputSource(path: path)) else { fatalError("cannot open \(path)") }
        defer { source.close() }
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pieces.max()!, alignment: 8)
        defer { buffer.deallocate() }
        var turn = 0
        while true {
            let want = pieces[turn % pieces.count]
            turn += 1
            do throws(ByteSourceError) {
                let n = try source.read(into: buffer.baseAddress!, count: want)
                if n == 0 { return (out, nil, source) }
                out += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            } catch {
                return (out, error, source)
            }
        }
    }

    func testEveryContainerGivesTheSameJSONAsThePlainFileForAnyWorkersAndBlockSize() throws {
        let dir = TestSupport.temporaryDirectory()
        let (reference, referenceJSON) = analyse(write(Self.plain, "access.log", in: dir))
        XCTAssertEqual(reference.totals.lines, Self.lines)
        XCTAssertNil(reference.inputs[0].problem)
        for format in CompressionFormat.allCases {
            let path = write(TestCompressor.compress(Self.plain, format), "access.log" + format.extensions[0], in: dir)
            let (raw, _) = analyse(path)
            XCTAssertEqual(Analyzer(catalog: Self.catalog).run(paths: [path]).inputs[0].compression, format)
            XCTAssertEqual(raw.inputs[0].bytes, Int64(Self.plain.count), "bytes are decompressed bytes")
            for (workers, block) in [(1, 4 << 20), (2, 4 << 20), (2, 4096), (3, 777)] {
                XCTAssertEqual(analyse(path, workers: workers, blockSize: block).1, referenceJSON, "\(format) workers \(workers) block \(block)")
            }
        }
    }

    func testSourcesHandOutExactlyTheDecompressedBytesInAnyReadSize() {
        var rng = SystemRandomNumberGenerator()
        for format in CompressionFormat.allCases {
            let path = write(TestCompressor.compress(Self.plain, format), "x" + format.extensions[0])
            for pieces in [[1], [7, 1, 4093], (0..<50).map { _ in Int.random(in: 1...9000, using: &rng) }, [1 << 22]] {
                let (bytes, error, source) = readAll(path, pieces: pieces)
                XCTAssertNil(error, "\(format)")
                XCTAssertTrue(bytes == Self.plain, "\(format) pieces \(pieces.prefix(3))")
                XCTAssertEqual(source.bytesProduced, Self.plain.count)
                XCTAssertEqual(source.compression, format)
            }
        }
    }

    func testConcatenatedStreamsAreReadThrough() {
        let parts = [Array(Self.plain[0..<1000]), [], Array(Self.plain[1000..<250_000]), Array(Self.plain[250_000...])]
        let members: [CompressionFormat: [UInt8]] = [
            // `cat a.gz b.gz`, an empty member, and zero padding after the last member (gzip skips it).
            .gzip: parts.flatMap { TestCompressor.gzip($0) } + [UInt8](repeating: 0, count: 300),
            .bzip2: parts.flatMap { TestCompressor.bzip2($0) },
            .xz: parts.flatMap { TestCompressor.xz($0) },
            .zstd: parts.flatMap { TestCompressor.zstd($0) },
        ]
        for (format, data) in members {
            let (bytes, error, _) = readAll(write(data, "multi" + format.extensions[0]), pieces: [4093])
            XCTAssertNil(error, "\(format)")
            XCTAssertEqual(bytes.count, Self.plain.count, "\(format)")
            XCTAssertTrue(bytes == Self.plain, "\(format)")
        }
        let (result, _) = analyse(write(members[.gzip]!, "multi.gz"))
        XCTAssertEqual(result.totals.lines, Self.lines)
        XCTAssertNil(result.inputs[0].problem)
    }

    /// Damage after `decoded` good bytes: the run must equal the plain analysis of the whole lines
    /// before it, plus one malformed line when the damage cut a line short.
    func assertKeepsEverythingBefore(_ damaged: String, problemPrefix: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (result, _) = analyse(damaged, blockSize: 64 << 10)
        let input = result.inputs[0]
        let problem = try XCTUnwrap(input.problem, file: file, line: line)
        XCTAssertTrue(problem.hasPrefix(problemPrefix), problem, file: file, line: line)
        XCTAssertTrue(result.inputProblems.count == 1, file: file, line: line)
        let decoded = Int(input.bytes)
        XCTAssertGreaterThan(decoded, 0, "something before the damage was read", file: file, line: line)
        XCTAssertTrue(problem.contains(" \(decoded) decompressed bytes") || problem.contains("decompressed offset \(decoded) "), problem, file: file, line: line)
        XCTAssertTrue(readAll(damaged).bytes == Array(Self.plain[0..<decoded]), "the bytes before the damage are the original's", file: file, line: line)

        let whole = Self.plain[0..<decoded].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let partial = decoded > whole
        let (prefix, _) = analyse(write(Array(Self.plain[0..<whole]), "prefix.log"), blockSize: 64 << 10)
        XCTAssertEqual(result.totals.records, prefix.totals.records, file: file, line: line)
        XCTAssertEqual(result.totals.lines, prefix.totals.lines + (partial ? 1 : 0), file: file, line: line)
        XCTAssertEqual(result.totals.malformed, prefix.totals.malformed + (partial ? 1 : 0), "the cut line is malformed", file: file, line: line)
        XCTAssertEqual(result.totals.oversized, 0, file: file, line: line)
        XCTAssertEqual(JSONReport.document(AnalysisResult.servicesOnly(result)).serialized(),
                       JSONReport.document(AnalysisResult.servicesOnly(prefix)).serialized(), file: file, line: line)
    }

    func testTruncatedArchivesKeepEveryRecordBeforeTheCut() throws {
        for format in CompressionFormat.allCases {
            let data = format == .bzip2 ? TestCompressor.bzip2(Self.plain, blockSize100k: 1) : TestCompressor.compress(Self.plain, format)
            for fraction in [0.3, 0.77, 0.999] {
                let cut = write(Array(data[0..<Int(Double(data.count) * fraction)]), "cut" + format.extensions[0])
                try assertKeepsEverythingBefore(cut, problemPrefix: "truncated \(format.rawValue) stream after ")
            }
        }
    }

    func testMultiBlockXzDecodesOnThreadsWithTheSameResult() throws {
        let data = TestCompressor.xzBlocks(Self.plain)
        let path = write(data, "blocks.xz")
        let (bytes, error, _) = readAll(path, pieces: [4093, 1, 70_000])
        XCTAssertNil(error)
        XCTAssertTrue(bytes == Self.plain)
        let (_, referenceJSON) = analyse(write(Self.plain, "access.log"))
        XCTAssertEqual(analyse(path, blockSize: 5000).1, referenceJSON)
        for fraction in [0.4, 0.9] {
            let cut = write(Array(data[0..<Int(Double(data.count) * fraction)]), "cut-blocks.xz")
            try assertKeepsEverythingBefore(cut, problemPrefix: "truncated xz stream after ")
        }
        // A damaged block may be partly decoded before its check fails; every block before it is exact.
        var corrupt = data
        for i in 0..<32 { corrupt[corrupt.count / 2 + i] ^= 0x5A }
        let (result, _) = analyse(write(corrupt, "corrupt-blocks.xz"))
        XCTAssertTrue(result.inputs[0].problem?.hasPrefix("corrupt xz data at decompressed offset \(result.inputs[0].bytes) ") ?? false)
        let (decoded, damage, _) = readAll(write(corrupt, "corrupt-blocks.xz"))
        XCTAssertNotNil(damage)
        let exact = zip(decoded, Self.plain).prefix { $0 == $1 }.count
        XCTAssertGreaterThanOrEqual(exact, Self.plain.count / 2 - 2 * 65_536, "the blocks before the damage")
    }

    func testTruncatedGzipMessageNamesTheDecompressedOffset() throws {
        let data = TestCompressor.gzip(Self.plain)
        let path = write(Array(data[0..<data.count / 2]), "access.log.1.gz")
        let (result, _) = analyse(path)
        XCTAssertEqual(result.inputs[0].problem, "truncated gzip stream after \(result.inputs[0].bytes) decompressed bytes")
    }

    /// Bit offsets of bzip2's 48-bit block magic (blocks are bit-aligned, not byte-aligned).
    func bzip2BlockStarts(_ data: [UInt8]) -> [Int] {
        var window: UInt64 = 0, starts: [Int] = []
        for bit in 0..<(data.count * 8) {
            window = ((window << 1) | UInt64(data[bit / 8] >> (7 - bit % 8) & 1)) & 0xFFFF_FFFF_FFFF
            if bit >= 47 && window == 0x3141_5926_5359 { starts.append(bit - 47) }
        }
        return starts
    }

    func testCorruptBzip2KeepsTheBlocksBeforeTheDamage() throws {
        // 100 kB blocks; the fourth block's header is damaged, so libbz2 stops before decoding any of it
        // and exactly the three blocks before it are analysed.
        var data = TestCompressor.bzip2(Self.plain, blockSize100k: 1)
        let starts = bzip2BlockStarts(data)
        XCTAssertGreaterThanOrEqual(starts.count, 6)
        let bit = starts[3] + 10
        data[bit / 8] ^= UInt8(0x80 >> (bit % 8))
        let path = write(data, "access.log.2.bz2")
        try assertKeepsEverythingBefore(path, problemPrefix: "corrupt bzip2 data at decompressed offset ")
        let result = analyse(path).0
        XCTAssertTrue(result.inputs[0].problem!.contains("(compressed offset "))
        XCTAssertGreaterThan(result.inputs[0].bytes, 250_000, "three whole blocks")

        // Damage inside a block's data: libbz2 may hand out part of the damaged block before its CRC
        // fails; every block before it is exact.
        var inside = TestCompressor.bzip2(Self.plain, blockSize100k: 1)
        for i in 0..<64 { inside[(starts[3] + starts[4]) / 16 + i] ^= 0x55 }
        let (decoded, damage, _) = readAll(write(inside, "inside.bz2"))
        XCTAssertNotNil(damage)
        XCTAssertTrue(damage?.message.hasPrefix("corrupt bzip2 data at decompressed offset \(decoded.count) ") ?? false, "\(damage?.message ?? "")")
        let exact = zip(decoded, Self.plain).prefix { $0 == $1 }.count
        XCTAssertGreaterThanOrEqual(exact, 290_000, "the three blocks before the damaged one")
    }

    func testCorruptGzipIsReportedWithItsOffset() throws {
        var data = TestCompressor.gzip(Self.plain)
        for i in 0..<64 { data[data.count / 2 + i] = 0xFF }
        let (result, _) = analyse(write(data, "access.log.gz"))
        let problem = try XCTUnwrap(result.inputs[0].problem)
        XCTAssertTrue(problem.hasPrefix("corrupt gzip data at decompressed offset \(result.inputs[0].bytes) "), problem)
        XCTAssertGreaterThan(result.totals.records, 0)
    }

    func testDataAfterTheLastGzipMemberIsReportedAndEverythingBeforeIsKept() throws {
        let (result, json) = analyse(write(TestCompressor.gzip(Self.plain) + Array("not gzip".utf8), "access.log.gz"))
        XCTAssertEqual(result.inputs[0].problem?.hasPrefix("corrupt gzip data at decompressed offset \(Self.plain.count) "), true, json)
        XCTAssertEqual(result.totals.lines, Self.lines)
    }

    func testTheMagicBytesDecideNotTheName() throws {
        let gzipNamedPlain = write(TestCompressor.gzip(Self.plain), "access.log")
        let plainNamedGzip = write(Self.plain, "access.log.gz")
        let r1 = Analyzer(catalog: Self.catalog).run(paths: [gzipNamedPlain])
        let r2 = Analyzer(catalog: Self.catalog).run(paths: [plainNamedGzip])
        XCTAssertEqual(r1.inputs[0].compression, .gzip)
        XCTAssertNil(r2.inputs[0].compression)
        let records = analyse(write(Self.plain, "plain.log")).0.totals.records
        XCTAssertGreaterThan(records, 4000)
        XCTAssertEqual(r1.totals.records, records)
        XCTAssertEqual(r2.totals.records, records)
    }

    func testTinyAndEmptyArchives() {
        let cutInMagic = Analyzer(catalog: Self.catalog).run(paths: [write([0x1F, 0x8B], "a.gz")])
        XCTAssertEqual(cutInMagic.inputs[0].problem, "truncated gzip stream after 0 decompressed bytes")
        for format in CompressionFormat.allCases {
            let empty = Analyzer(catalog: Self.catalog).run(paths: [write(TestCompressor.compress([], format), "e" + format.extensions[0])])
            XCTAssertEqual(empty.inputs[0].problem, "empty file", "\(format)")
        }
        // Three bytes that are not a complete magic of anything: a plain (unknown) file.
        let r = Analyzer(catalog: Self.catalog).run(paths: [write(Array("BZx".utf8), "b.bz2")])
        XCTAssertTrue(r.inputs[0].problem?.hasPrefix("not in a known log format") ?? false, "\(r.inputs[0].problem ?? "nil")")
    }

    func testSniffing() {
        func sniff(_ bytes: [UInt8]) -> CompressionFormat? { bytes.withUnsafeBytes { CompressionFormat.sniff($0) } }
        XCTAssertEqual(sniff([0x1F, 0x8B, 0x08, 0, 0, 0]), .gzip)
        XCTAssertNil(sniff([0x1F, 0x8B, 0x07]))
        XCTAssertEqual(sniff(Array("BZh9".utf8)), .bzip2)
        XCTAssertNil(sniff(Array("BZh0".utf8)))
        XCTAssertEqual(sniff([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]), .xz)
        XCTAssertNil(sniff([0xFD, 0x37, 0x7A, 0x58, 0x5A]))
        XCTAssertEqual(sniff([0x28, 0xB5, 0x2F, 0xFD]), .zstd)
        XCTAssertEqual(sniff([0x5E, 0x2A, 0x4D, 0x18]), .zstd, "skippable frame")
        XCTAssertNil(sniff(Array("1794038400.123 ".utf8)))
        XCTAssertEqual(CompressionFormat(fileName: "access.log.3.zst"), .zstd)
        XCTAssertNil(CompressionFormat(fileName: "access.log"))
    }

    /// The corpus's real Postfix log is xz-compressed; PROVENANCE.md gives its decompressed line count.
    func testCorpusXzMailLogDecompressesToItsStatedLineCount() throws {
        let path = TestSupport.corpus.appendingPathComponent("postfix/pixelpark-postfix-logsums/mail.log.xz").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("corpus not present at \(TestSupport.corpus.path); skipping the real xz file")
        }
        let (bytes, error, source) = readAll(path, pieces: [1 << 20, 4093])
        XCTAssertNil(error)
        XCTAssertEqual(source.compression, .xz)
        let newlines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        XCTAssertEqual(newlines + (bytes.last == 0x0A ? 0 : 1), 69_861)
        XCTAssertTrue(bytes.count > 9_000_000 && bytes.count < 10_500_000, "9.7 MB decompressed")
    }
}

extension AnalysisResult {
    /// Only what was counted per service, category, user and domain (no inputs or totals).
    static func servicesOnly(_ r: AnalysisResult) -> AnalysisResult {
        var copy = r
        copy.inputs = []
        copy.totals = Totals()
        return copy
    }
}
