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
        try write(bytes: Array(text.utf8), to: path)
    }

    /// As `write(_:to:)` for UTF-8 bytes (large JSON documents).
    public static func write(bytes: [UInt8], to path: String) throws {
        try write(to: path) { out in
            out.buffer.append(contentsOf: bytes)
            try out.flush()
        }
    }

    /// Streams a document through `body` into `path` ("-": standard output), atomically: a temporary
    /// file beside it, renamed over it once complete, removed if anything fails. A path that exists and
    /// is no regular file (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming over it
    /// would replace the device or pipe with a file.
    public static func write(to path: String, _ body: (inout JSONOutput) throws -> Void) throws {
        if path == "-" {
            var out = JSONOutput(fd: STDOUT_FILENO, path: "standard output")
            try body(&out)
            try out.flush()
            return
        }
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ReportWriteError(path: path, message: String(cString: strerror(errno))) }
            defer { close(fd) }
            var out = JSONOutput(fd: fd, path: path)
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
            _ = fchmod(fd, 0o666 & ~processUmask)   // as an ordinary new file; mkstemp makes it private to the owner
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

/// The process's file-creation mask, read once (umask(2) can only be read by setting it; reports are
/// written after the workers have stopped, so no other thread creates a file meanwhile).
private let processUmask: mode_t = {
    let mask = umask(0)
    umask(mask)
    return mask
}()
