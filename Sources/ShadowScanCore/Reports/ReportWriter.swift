#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes report files atomically (a temporary file in the same folder, then rename), so a reader never
/// sees half a report; "-" means standard output.
public enum ReportWriter {
    public static func write(_ text: String, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// As `write(_:to:)` for UTF-8 bytes, without copying them (large JSON documents).
    public static func write(bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { raw in
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                            count: raw.count, deallocator: .none)
            if path == "-" {
                FileHandle.standardOutput.write(data)
            } else {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            }
        }
    }

    /// Streams a document through `body` into `path` ("-": standard output), atomically: a temporary
    /// file beside it, renamed over it once complete, removed if anything fails.
    public static func write(to path: String, _ body: (inout JSONOutput) throws -> Void) throws {
        if path == "-" {
            var out = JSONOutput(fd: STDOUT_FILENO, path: "standard output")
            try body(&out)
            try out.flush()
            return
        }
        let url = URL(fileURLWithPath: path)
        let pattern = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).XXXXXX").path
        var template = Array(pattern.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard fd >= 0 else { throw ReportWriteError(path: path, message: String(cString: strerror(errno))) }
        do {
            defer { close(fd) }
            _ = fchmod(fd, 0o644)   // as an ordinary new file; mkstemp makes it private to the owner
            var out = JSONOutput(fd: fd, path: path)
            try body(&out)
            try out.flush()
        } catch {
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ReportWriteError(path: path, message: message)
        }
    }
}
