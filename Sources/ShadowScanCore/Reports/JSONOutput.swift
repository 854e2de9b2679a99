#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where a streamed document goes: bytes gather in a buffer that is written out whenever it passes
/// `flushThreshold`, so writing a document of any size holds about one megabyte of it.
public struct JSONOutput {
    var buffer: [UInt8] = []
    private let fd: Int32
    private let path: String
    static let flushThreshold = 1 << 20

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(Self.flushThreshold + (64 << 10))
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    mutating func flushIfFull() throws {
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Writes what is buffered, then `bytes` without copying them into the buffer.
    mutating func writeThrough(_ bytes: [UInt8]) throws {
        try flush()
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ReportWriteError(path: path, message: String(cString: strerror(errno))) }
            done += n
        }
    }
}

public struct ReportWriteError: Error, LocalizedError, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
    public var errorDescription: String? { description }
}

/// write(2), named apart from Swift's own `write` functions.
@inline(__always)
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, bytes, count)
    #else
    return Darwin.write(fd, bytes, count)
    #endif
}
