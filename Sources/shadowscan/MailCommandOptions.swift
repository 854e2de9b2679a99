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

    func validate() throws {
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
        return mail
    }
}

import Foundation
