import ArgumentParser
import ShadowScanCore

/// `analyse` options of the mail-gateway analysis (Postfix, Exim, Exchange, M365 logs).
struct MailCommandOptions: ParsableArguments {
    @Option(name: .customLong("org-domain"), help: ArgumentHelp(
        "An organisation domain (repeatable; subdomains included). Mail between them is internal; only their senders count as staff. Added to the policy's internal domains.",
        valueName: "DOMAIN"))
    var organisationDomains: [String] = []

    @Option(name: .customLong("mail-flush-after"), help: ArgumentHelp(
        "Close a Postfix/Exim message after this much log time without activity, counted as incomplete (e.g. 24h, 90m, 2d; default 24h).",
        valueName: "DURATION"))
    var flushAfter: String = "24h"

    @Option(name: .customLong("large-message"), help: ArgumentHelp(
        "Report messages to personal mailboxes above this size (e.g. 10MB, 25MiB; default: the policy's upload threshold, 10MB).",
        valueName: "BYTES"))
    var largeMessage: String?

    @Option(name: .customLong("mail-year"), help: ArgumentHelp(
        "The year of syslog timestamps without one (RFC 3164: 'Mar 14 00:08:33'); default: from each file's modification time.",
        valueName: "YEAR"))
    var year: Int?

    @Option(name: .customLong("forward-window"), help: ArgumentHelp(
        "Forwarding-pattern detection: a message to a personal address this soon after the sender's mailbox received mail follows it (default 2m).",
        valueName: "DURATION"))
    var forwardWindow: String = "2m"

    @Option(name: .customLong("forward-min-messages"), help: ArgumentHelp(
        "Forwarding-pattern detection: messages a sender must send to one personal address before a pattern is reported (default 5).",
        valueName: "N"))
    var forwardMinimumMessages: Int64 = 5

    @Option(name: .customLong("forward-share"), help: ArgumentHelp(
        "Forwarding-pattern detection: the percentage of those messages that must follow incoming mail (default 80).",
        valueName: "PERCENT"))
    var forwardSharePercent: Int64 = 80

    func validate() throws {
        if MailOptions.parseDuration(forwardWindow) == nil { throw ValidationError("--forward-window '\(forwardWindow)' is not a duration (e.g. 2m, 90s)") }
        if forwardMinimumMessages < 1 { throw ValidationError("--forward-min-messages must be at least 1") }
        if !(1...100).contains(forwardSharePercent) { throw ValidationError("--forward-share must be a percentage from 1 to 100") }
        for domain in organisationDomains where domain.isEmpty || domain.contains("@") || domain.contains("/") || domain.contains(" ") {
            throw ValidationError("--org-domain '\(domain)' is not a domain (e.g. council.gov.uk)")
        }
        if MailOptions.parseDuration(flushAfter) == nil { throw ValidationError("--mail-flush-after '\(flushAfter)' is not a duration (e.g. 24h, 90m, 2d)") }
        if let largeMessage, MailOptions.parseBytes(largeMessage) == nil {
            throw ValidationError("--large-message '\(largeMessage)' is not a size (e.g. 10MB, 25MiB, 500000)")
        }
        if let year, !(1970...9999).contains(year) { throw ValidationError("--mail-year must be between 1970 and 9999") }
    }

    /// The settings, with the policy's internal domains and upload threshold where the options say nothing.
    func resolve(policy: WorkaroundPolicy?) -> MailOptions {
        var mail = MailOptions()
        var domains = organisationDomains.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        for domain in policy?.internalDomains ?? [] where !domains.contains(domain.lowercased()) { domains.append(domain.lowercased()) }
        mail.organisationDomains = domains
        mail.flushAfterSeconds = MailOptions.parseDuration(flushAfter) ?? 86_400
        mail.largeMessageBytes = largeMessage.flatMap(MailOptions.parseBytes) ?? policy?.uploadThreshold ?? 10_000_000
        mail.year = year
        mail.patternWindowSeconds = MailOptions.parseDuration(forwardWindow) ?? 120
        mail.patternMinimumMessages = forwardMinimumMessages
        mail.patternSharePercent = forwardSharePercent
        return mail
    }
}

import Foundation
