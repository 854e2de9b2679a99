import Foundation

/// Finds the project's `Rules/` when `--rules` is not given, also when the binary runs from elsewhere:
/// `$SHADOWSCAN_RULES`, then a `Rules/` beside or above the executable (a build tree or an install
/// prefix's `share/shadowscan/Rules`), then `./Rules`.
public enum RulesLocator {
    public static func defaultDirectory() -> String? {
        let fm = FileManager.default
        func hasRules(_ dir: String) -> Bool {
            (try? fm.contentsOfDirectory(atPath: dir))?.contains { $0.hasSuffix(".yaml") } ?? false
        }
        if let env = ProcessInfo.processInfo.environment["SHADOWSCAN_RULES"], !env.isEmpty { return env }
        let executable = URL(fileURLWithPath: (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [dir.appendingPathComponent("Rules"), dir.appendingPathComponent("share/shadowscan/Rules")] where hasRules(candidate.path) {
                return candidate.path
            }
            dir = dir.deletingLastPathComponent()
        }
        let local = fm.currentDirectoryPath + "/Rules"
        return hasRules(local) ? local : nil
    }
}
