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
}
