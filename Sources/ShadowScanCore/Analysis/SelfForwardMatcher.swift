/// Does a personal address look like the sender's own private mailbox? Compares the local parts only:
/// the sender's is split into name parts at `.`, `_` and `-` (`jane.m.smith` → first name `jane`,
/// surname `smith`; the middle is ignored), the recipient's into letter runs (`janesmith1975` →
/// `janesmith`). Conservative by design:
///
/// - **high**: both names as whole parts (`jane.smith` → `smith.jane`, `jane_smith79`, `janesmith1975`,
///   `smithjane`), or a one-part sender (`jsmith`, not a first name, 5+ letters) whose local part is the
///   recipient's whole name (`jsmith1975`, `j.smith` → `jsmith` both ways);
/// - **medium**: initial and surname (`j.smith` or `jane.smith` → `smithj`, `jsmith`, `j-smith`) where
///   the surname has at least four letters, or a one-part sender found among the recipient's parts;
/// - **no match**: a first name or surname alone, a first name with the surname's initial, short
///   surnames with an initial (`j.li` → `jli`), parts that only contain the names (`janet.smithers`),
///   and role accounts (`info@`, `sales@`, `noreply@`…) on either side.
public enum SelfForwardMatcher {
    public struct Match: Sendable, Equatable {
        public let confidence: String
        public let reason: String
    }

    public static func match(sender: String, recipient: String) -> Match? {
        let senderLocal = localPart(sender), recipientLocal = localPart(recipient)
        let senderParts = parts(senderLocal, splitOnDigits: false)
        let recipientParts = parts(recipientLocal, splitOnDigits: true)
        guard !senderParts.isEmpty, !recipientParts.isEmpty else { return nil }
        if isRole(senderParts) || isRole(recipientParts) { return nil }
        let joined = recipientParts.joined()

        if senderParts.count == 1 {
            let name = senderParts[0]
            guard name.count >= 5, !commonFirstNames.contains(name) else { return nil }
            if joined == name {
                return Match(confidence: "high", reason: "same name '\(name)' (digits and separators ignored)")
            }
            if recipientParts.contains(name) {
                return Match(confidence: "medium", reason: "name '\(name)' is one part of the recipient's local part")
            }
            return nil
        }

        let first = senderParts[0], last = senderParts[senderParts.count - 1]
        guard first != last else { return nil }
        let initial = String(first.prefix(1))
        if first.count >= 2 && last.count >= 2 {
            if recipientParts.contains(first) && recipientParts.contains(last) {
                return Match(confidence: "high", reason: "first name '\(first)' and surname '\(last)' both appear")
            }
            if recipientParts.contains(first + last) || recipientParts.contains(last + first) {
                return Match(confidence: "high", reason: "first name '\(first)' and surname '\(last)' written together")
            }
        }
        guard last.count >= 4 else { return nil }
        if recipientParts.contains(initial + last) || recipientParts.contains(last + initial)
            || (recipientParts.contains(initial) && recipientParts.contains(last)) {
            return Match(confidence: "medium", reason: "initial '\(initial)' and surname '\(last)'")
        }
        return nil
    }

    /// Lower-cased local part without a `+tag`.
    static func localPart(_ address: String) -> String {
        var local = Substring(address.lowercased())
        if let at = local.lastIndex(of: "@") { local = local[..<at] }
        if let plus = local.firstIndex(of: "+") { local = local[..<plus] }
        return String(local)
    }

    /// Runs of letters; `.`, `_`, `-` (and, in recipients, digits) separate; digits in a sender part are
    /// dropped (`jsmith2` → `jsmith`).
    static func parts(_ local: String, splitOnDigits: Bool) -> [String] {
        var out: [String] = []
        var current = ""
        for c in local.unicodeScalars {
            if c.properties.isAlphabetic {
                current.unicodeScalars.append(c)
            } else if c.properties.numericType != nil && !splitOnDigits {
                continue
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func isRole(_ parts: [String]) -> Bool {
        roleAccounts.contains(parts.joined()) || parts.allSatisfy { roleAccounts.contains($0) }
    }

    /// Shared and functional mailboxes: never a person's own address.
    static let roleAccounts: Set<String> = [
        "info", "admin", "administrator", "office", "contact", "contactus", "enquiries", "enquiry", "inquiries",
        "sales", "support", "help", "helpdesk", "servicedesk", "service", "services", "noreply", "donotreply",
        "postmaster", "webmaster", "hostmaster", "abuse", "security", "billing", "accounts", "accounting", "finance",
        "hr", "jobs", "careers", "recruitment", "marketing", "press", "media", "news", "newsletter", "team", "hello",
        "mail", "email", "reception", "secretary", "board", "committee", "customerservice", "customercare", "orders",
        "invoices", "invoice", "payments", "payroll", "legal", "compliance", "it", "ict", "root", "daemon",
        "mailerdaemon", "bounce", "bounces", "notifications", "notification", "alerts", "alert", "system", "test",
        "user", "office365", "scanner", "printer", "fax", "voicemail", "calendar", "events", "bookings", "booking",
        "registrar", "licensing", "planning", "housing", "council", "parking", "general", "mailbox", "shared", "ops",
        "operations", "noc", "soc", "cert", "privacy", "dpo", "foi", "complaints", "feedback", "social", "web", "www",
        "ftp", "sysadmin", "devops", "backup",
    ]

    /// A one-part sender equal to one of these is too common to stand for a person.
    static let commonFirstNames: Set<String> = [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
        "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen",
        "christopher", "nancy", "daniel", "lisa", "matthew", "betty", "anthony", "margaret", "mark", "sandra",
        "donald", "ashley", "steven", "kimberly", "paul", "emily", "andrew", "donna", "joshua", "michelle", "kenneth",
        "carol", "kevin", "amanda", "brian", "dorothy", "george", "melissa", "timothy", "deborah", "ronald",
        "stephanie", "edward", "rebecca", "jason", "sharon", "jeffrey", "laura", "ryan", "cynthia", "jacob",
        "kathleen", "gary", "amy", "nicholas", "angela", "eric", "shirley", "jonathan", "anna", "stephen", "brenda",
        "larry", "pamela", "justin", "emma", "scott", "nicole", "brandon", "helen", "benjamin", "samantha", "samuel",
        "katherine", "gregory", "christine", "alexander", "debra", "frank", "rachel", "patrick", "carolyn", "raymond",
        "janet", "jack", "catherine", "dennis", "maria", "jerry", "heather", "tyler", "diane", "aaron", "ruth",
        "jose", "julie", "adam", "olivia", "nathan", "joyce", "henry", "virginia", "douglas", "victoria", "zachary",
        "kelly", "peter", "lauren", "kyle", "christina", "noah", "joan", "ethan", "evelyn", "jeremy", "judith",
        "walter", "megan", "christian", "andrea", "keith", "cheryl", "roger", "hannah", "terry", "jacqueline",
        "austin", "martha", "sean", "gloria", "gerald", "teresa", "carl", "sara", "harold", "janice", "dylan",
        "marie", "arthur", "julia", "lawrence", "grace", "jordan", "judy", "jesse", "theresa", "bryan", "madison",
        "billy", "beverly", "bruce", "denise", "gabriel", "marilyn", "joe", "amber", "logan", "danielle", "alan",
        "rose", "juan", "brittany", "albert", "diana", "willie", "abigail", "elijah", "natalie", "wayne", "jane",
        "randy", "lori", "vincent", "alexis", "mason", "tiffany", "roy", "kayla", "ralph", "bobby", "russell",
        "bradley", "philip", "eugene", "oliver", "harry", "charlie", "alfie", "freddie", "leo", "archie", "oscar",
        "isla", "ava", "mia", "ivy", "lily", "sophie", "sophia", "amelia", "ella", "poppy", "freya", "florence",
        "chloe", "ruby", "daisy", "hans", "klaus", "wolfgang", "jurgen", "stefan", "andreas", "markus", "sabine",
        "petra", "monika", "ursula", "claudia", "anja", "katrin", "pierre", "jean", "michel", "philippe", "alain",
        "nicolas", "nathalie", "isabelle", "sylvie", "claire", "giulia", "marco", "giuseppe", "giovanni", "francesco",
        "luca", "alessandro", "chiara", "francesca", "antonio", "manuel", "carlos", "javier", "miguel", "lucia",
        "carmen", "sofia", "mateo", "valentina", "lucas", "liam", "amir", "aisha", "omar", "fatima", "ahmed",
        "mohammed", "muhammad", "ali", "raj", "priya", "wei", "mei", "hiroshi", "yuki", "olga", "ivan", "zara",
        "kofi", "ama", "niamh", "lars", "ingrid", "greta", "anne", "ann", "tom", "tim", "sam", "max", "ben", "dan",
        "jim", "bob", "bill", "mike", "dave", "steve", "chris", "matt", "nick", "tony", "jo", "kate", "katie", "liz",
        "beth", "jen", "jenny", "sue", "ellen", "eva", "ewa",
    ]
}
