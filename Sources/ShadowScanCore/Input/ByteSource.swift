#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an input's bytes come from: a plain file or stdin, or a decompressing source wrapping one.
/// The chunk reader only ever calls `read`, so new sources never touch the chunking logic.
protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `destination`; 0 at the end. Throws `ByteSourceError` on a read
    /// error or damaged data (after handing out every byte it could recover).
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ByteSourceError) -> Int
    /// Bytes handed out so far (for compressed inputs: decompressed bytes).
    var bytesProduced: Int { get }
    /// The container the bytes were decompressed from; nil for plain input.
    var compression: CompressionFormat? { get }
    func close()
}

extension ByteSource {
    var compression: CompressionFormat? { nil }
}

struct ByteSourceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A file descriptor read with read(2). Bytes sniffed to choose a decompressor are put back with
/// `unread`, so pipes (which cannot seek) work too.
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private(set) var bytesProduced = 0
    private var pushedBack: [UInt8] = []
    private var pushedBackServed = 0

    /// Opens `source` (or takes stdin); the error says why it cannot be opened.
    static func open(_ source: InputSource) -> Result<FileByteSource, ByteSourceError> {
        if source.isStandardInput { return .success(FileByteSource(fd: 0, ownsDescriptor: false)) }
        let fd = Glibc.open(source.path, O_RDONLY)
        guard fd >= 0 else { return .failure(ByteSourceError(message: "cannot open: \(String(cString: strerror(errno)))")) }
        return .success(FileByteSource(fd: fd, ownsDescriptor: true))
    }

    private init(fd: Int32, ownsDescriptor: Bool) { self.fd = fd; self.ownsDescriptor = ownsDescriptor }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ByteSourceError) -> Int {
        if pushedBackServed < pushedBack.count && count > 0 {
            let n = min(count, pushedBack.count - pushedBackServed)
            pushedBack.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + pushedBackServed, byteCount: n) }
            pushedBackServed += n
            bytesProduced += n
            return n
        }
        while true {
            let n = Glibc.read(fd, destination, count)
            if n >= 0 { bytesProduced += n; return n }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw ByteSourceError(message: bytesProduced == 0 ? "cannot read: \(reason)" : "read error after \(bytesProduced) bytes: \(reason)")
        }
    }

    /// Puts the bytes just read back in front of the rest (at most once, before any other read).
    func unread(_ bytes: [UInt8]) {
        precondition(pushedBackServed == pushedBack.count && bytesProduced == bytes.count)
        pushedBack = bytes
        pushedBackServed = 0
        bytesProduced = 0
    }

    func close() { if ownsDescriptor { _ = Glibc.close(fd) } }
}

extension ByteSource {
    /// Reads until `count` bytes or the end; a damaged source reports its error after the bytes it gave.
    func readFully(into destination: UnsafeMutableRawPointer, count: Int) -> (Int, ByteSourceError?) {
        var filled = 0
        while filled < count {
            do {
                let n = try read(into: destination + filled, count: count - filled)
                if n == 0 { break }
                filled += n
            } catch {
                return (filled, error)
            }
        }
        return (filled, nil)
    }
}

/// Chooses the byte source for an input: the first bytes (not the name) say whether it is gzip, bzip2,
/// xz or zstd, so misnamed files and compressed standard input are read too.
enum InputOpener {
    static func open(_ source: InputSource) -> Result<any ByteSource, ByteSourceError> {
        let file: FileByteSource
        switch FileByteSource.open(source) {
        case .success(let opened): file = opened
        case .failure(let error): return .failure(error)
        }
        var magic = [UInt8](repeating: 0, count: CompressionFormat.sniffLength)
        let (sniffed, error) = magic.withUnsafeMutableBytes { file.readFully(into: $0.baseAddress!, count: $0.count) }
        if let error { file.close(); return .failure(error) }
        magic.removeSubrange(sniffed...)
        file.unread(magic)

        guard let format = magic.withUnsafeBytes({ CompressionFormat.sniff($0) }) else {
            // A .gz (...) file that ends inside its magic is a cut-off archive, not a plain log.
            if !source.isStandardInput, sniffed > 0, let named = CompressionFormat(fileName: source.path),
               named.magicPrefix.starts(with: magic) {
                file.close()
                return .failure(ByteSourceError(message: "truncated \(named.rawValue) stream after 0 decompressed bytes"))
            }
            return .success(file)
        }
        do throws(ByteSourceError) {
            switch format {
            case .gzip: return .success(DecompressingByteSource(wrapping: file, decoder: try GzipDecoder()))
            case .bzip2: return .success(DecompressingByteSource(wrapping: file, decoder: try Bzip2Decoder()))
            case .xz: return .success(DecompressingByteSource(wrapping: file, decoder: try XzDecoder()))
            case .zstd: return .success(DecompressingByteSource(wrapping: file, decoder: try ZstdDecoder()))
            }
        } catch {
            file.close()
            return .failure(error)
        }
    }
}
