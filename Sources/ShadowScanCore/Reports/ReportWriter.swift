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
}
