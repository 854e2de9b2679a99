#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an input's bytes come from: a plain file or stdin today; decompressing sources wrap another.
/// The chunk reader only ever calls `read`, so new sources never touch the chunking logic.
protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `destination`; 0 at the end. Throws `ByteSourceError` on a read
    /// error or damaged data (after handing out every byte it could recover).
    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ByteSourceError) -> Int
    /// Bytes handed out so far (for compressed inputs: decompressed bytes).
    var bytesProduced: Int { get }
    func close()
}

struct ByteSourceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A file descriptor read with read(2).
final class FileByteSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private(set) var bytesProduced = 0

    /// Opens `source` (or takes stdin); the error says why it cannot be opened.
    static func open(_ source: InputSource) -> Result<FileByteSource, ByteSourceError> {
        if source.isStandardInput { return .success(FileByteSource(fd: 0, ownsDescriptor: false)) }
        let fd = Glibc.open(source.path, O_RDONLY)
        guard fd >= 0 else { return .failure(ByteSourceError(message: "cannot open: \(String(cString: strerror(errno)))")) }
        return .success(FileByteSource(fd: fd, ownsDescriptor: true))
    }

    private init(fd: Int32, ownsDescriptor: Bool) { self.fd = fd; self.ownsDescriptor = ownsDescriptor }

    func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ByteSourceError) -> Int {
        while true {
            let n = Glibc.read(fd, destination, count)
            if n >= 0 { bytesProduced += n; return n }
            if errno == EINTR { continue }
            throw ByteSourceError(message: String(cString: strerror(errno)))
        }
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

/// Chooses the byte source for an input. Compressed inputs get a decompressing source here.
enum InputOpener {
    static func open(_ source: InputSource) -> Result<any ByteSource, ByteSourceError> {
        FileByteSource.open(source).map { $0 }
    }
}
