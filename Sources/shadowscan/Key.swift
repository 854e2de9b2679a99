import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan key`: the secret behind pseudonyms.
struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create or identify the key that turns identities into pseudonyms.",
        discussion: """
            Reports show every identity as a pseudonym (u- and 12 hex digits of a keyed HMAC-SHA-256): the
            same key gives the same pseudonym in every run, so trends survive; the key and the logs together
            resolve a pseudonym ('shadowscan reveal'). Keep the key secret and backed up.
            """,
        subcommands: [KeyNew.self, KeyID.self]
    )
}

struct KeyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new random key (32 bytes, mode 0600) to FILE; never overwrites a file.",
        discussion: "Example:\n  shadowscan key new /etc/shadowscan/key\n  shadowscan analyse /var/log/squid/ --key-file /etc/shadowscan/key --html report.html"
    )

    @Argument(help: ArgumentHelp("Where to write the key.", valueName: "FILE"))
    var file: String

    func run() throws {
        do {
            let key = try PseudonymKey.create(at: file)
            print("wrote a new pseudonym key to \(file) (key id \(key.id)); keep it secret and backed up")
        } catch {
            warn("error: \(error)")
            throw ExitCode(2)
        }
    }
}

struct KeyID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Print the public id of a key (reports name the key they used as privacy.key_id)."
    )

    @Argument(help: ArgumentHelp("The key file (default: the key analyse uses without --key-file).", valueName: "FILE"))
    var file: String?

    func run() throws {
        guard let path = file ?? KeyLocation.existing() else {
            warn("error: no key file given and no default key (HOME is not set)")
            throw ExitCode(2)
        }
        do {
            let key = try PseudonymKey.load(from: path)
            for warning in key.warnings { warn("warning: \(warning)") }
            print(key.id)
        } catch {
            warn("error: \(error)")
            throw ExitCode(2)
        }
    }
}

/// The key to use when none is given: $SHADOWSCAN_KEY_FILE, else the default location.
enum KeyLocation {
    static func existing(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["SHADOWSCAN_KEY_FILE"], !path.isEmpty { return path }
        return PseudonymKey.defaultPath(environment: environment)
    }
}
