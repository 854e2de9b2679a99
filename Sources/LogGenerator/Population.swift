import Foundation

/// The synthetic world a log is drawn from: users and their machines, business hosts, near-miss
/// hosts and, for every catalogue service, the requests known to belong to it. Built once per run
/// from the seed, so it is identical for identical options.
struct Population {
    struct User {
        var name: [UInt8]
        var homeClient: Int
        var userAgent: Int
    }

    /// A business (non-catalogue) host.
    struct Host {
        var name: [UInt8]
        var peer: [UInt8]
    }

    /// A request taken from the catalogue that is known to belong to one service.
    struct ServiceRequest {
        var method: [UInt8]
        /// As logged (`host:port` for CONNECT).
        var url: [UInt8]
        var peer: [UInt8]
        var isConnect: Bool
        var isUpload: Bool
    }

    /// Everything the model can send to one service.
    struct ServiceTraffic {
        var index: Int
        var examples: [ServiceRequest] = []
        var uploads: [ServiceRequest] = []
        /// Hosts that belong to the service by domain alone (only for services without `url` patterns).
        var hosts: [Host] = []
        /// For `https://host/path` requests to `hosts`: a method that is not one of its upload methods.
        var browseMethod: [UInt8]? = nil
        var canConnect = false
    }

    var users: [User] = []
    var userPicker: WeightedPicker
    /// Client addresses; the first ones are users' home machines, then shared/kiosk machines.
    var clients: [[UInt8]] = []
    var firstKioskClient = 0
    var hosts: [Host] = []
    var hostPicker: WeightedPicker
    var nearMissHosts: [Host] = []
    var services: [ServiceTraffic] = []
    var servicePicker: WeightedPicker?
    /// Catalogue services skipped because nothing safe could be generated for them.
    var skippedServices: [String] = []

    init(catalogue: GeneratorCatalogue, userCount: Int, rng: inout SeededRandom) {
        // Users and their machines.
        var names = Set<String>()
        var userNames: [String] = []
        while userNames.count < userCount {
            let first = rng.pick(Words.firstNames), last = rng.pick(Words.surnames)
            let name: String
            switch rng.below(10) {
            case 0..<4: name = "\(first.prefix(1))\(last)"            // jsmith
            case 4..<7: name = "\(first.prefix(1)).\(last)"           // a.khan
            case 7..<9: name = "\(first).\(last)"                     // james.smith
            default: name = "user" + String(10_000 + rng.below(10_000)).dropFirst()   // user0421
            }
            if names.insert(name).inserted { userNames.append(name) }
        }
        var addresses = Set<String>()
        func newClient(_ rng: inout SeededRandom) -> [UInt8] {
            while true {
                let address: String
                switch rng.below(100) {
                case 0..<6: address = "2001:db8:\(String(rng.int(1...0xff), radix: 16))::\(String(rng.int(1...0xfff), radix: 16))"
                case 6..<14: address = "192.168.\(rng.below(8)).\(rng.int(2...254))"
                case 14..<22: address = "172.16.\(rng.below(32)).\(rng.int(2...254))"
                default: address = "10.\(rng.int(1...40)).\(rng.below(256)).\(rng.int(2...254))"
                }
                if addresses.insert(address).inserted { return Array(address.utf8) }
            }
        }
        for name in userNames {
            clients.append(newClient(&rng))
            users.append(User(name: Array(name.utf8), homeClient: clients.count - 1,
                              userAgent: rng.below(Words.userAgents.count)))
        }
        firstKioskClient = clients.count
        for _ in 0..<max(8, userCount / 20) { clients.append(newClient(&rng)) }
        userPicker = .zipf(count: max(users.count, 1), exponent: 0.8)

        // Business hosts: synthetic company domains plus a few real-looking ones, heavy-tailed popularity.
        var hostNames: [String] = Words.wellKnownHosts
        var seen = Set(hostNames)
        while hostNames.count < 3000 {
            let a = rng.pick(Words.companyWords), b = rng.pick(Words.businessWords)
            let domain = (rng.chance(0.5) ? "\(a)-\(b)" : "\(a)\(b)") + "." + rng.pick(Words.tlds)
            let host = rng.chance(0.25) ? domain : "\(rng.pick(Words.subdomains)).\(domain)"
            if seen.insert(host).inserted { hostNames.append(host) }
        }
        hostNames = hostNames.filter { catalogue.isUnmatched(host: $0) }
        rng.shuffle(&hostNames)
        hosts = hostNames.map { Host(name: Array($0.utf8), peer: Population.peerAddress(forHost: $0)) }
        hostPicker = .zipf(count: hosts.count, exponent: 1.05)

        // Near misses: look like catalogue domains but must never match one.
        var nearMiss = Set<String>()
        for service in catalogue.services {
            for domain in service.domains {
                let firstLabel = domain.split(separator: ".").first.map(String.init) ?? domain
                let tail = domain.split(separator: ".").dropFirst().joined(separator: ".")
                var candidates = [
                    rng.pick(Words.nearMissPrefixes) + domain,                                  // notdropbox.com
                    domain + rng.pick(Words.nearMissSuffixes),                                  // dropbox.com.evil.net
                    domain.replacingOccurrences(of: ".", with: "-") + ".net",                   // dropbox-com.net
                ]
                if !tail.isEmpty { candidates.append("\(firstLabel)-login.\(tail)") }       // dropbox-login.com
                for host in candidates where catalogue.isUnmatched(host: host) { nearMiss.insert(host) }
            }
        }
        nearMissHosts = nearMiss.sorted().map { Host(name: Array($0.utf8), peer: Population.peerAddress(forHost: $0)) }

        // Catalogue services.
        for (index, service) in catalogue.services.enumerated() {
            let traffic = Population.traffic(for: service, index: index, catalogue: catalogue, rng: &rng)
            if traffic.examples.isEmpty && traffic.uploads.isEmpty && traffic.hosts.isEmpty {
                skippedServices.append(service.id)
            } else {
                services.append(traffic)
            }
        }
        rng.shuffle(&services)   // popularity order differs from catalogue order
        if !services.isEmpty { servicePicker = .zipf(count: services.count, exponent: 1.0) }
    }

    // MARK: Catalogue traffic

    private static let otherMethods = ["GET", "HEAD", "OPTIONS"]

    private static func traffic(for service: GeneratorCatalogue.Service, index: Int,
                                catalogue: GeneratorCatalogue, rng: inout SeededRandom) -> ServiceTraffic {
        var traffic = ServiceTraffic(index: index)
        // A method that cannot be an upload: anything the upload rules do not name.
        let safeMethod = otherMethods.first { !service.uploadMethods.contains($0) }
        traffic.canConnect = !service.uploadMethods.contains("CONNECT")

        for example in service.matchExamples {
            guard let target = normalise(example, service: service) else { continue }
            if target.isConnect {
                guard traffic.canConnect else { continue }
                traffic.examples.append(ServiceRequest(method: Array("CONNECT".utf8), url: Array(target.url.utf8),
                                                       peer: peerAddress(forHost: target.host),
                                                       isConnect: true, isUpload: false))
            } else if let method = safeMethod {
                traffic.examples.append(ServiceRequest(method: Array(method.utf8), url: Array(target.url.utf8),
                                                       peer: peerAddress(forHost: target.host),
                                                       isConnect: false, isUpload: false))
            }
        }
        for line in service.uploadExamples {
            let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else { continue }
            let method = parts[0].uppercased()
            guard let target = normalise(String(parts[1]).trimmingSpaces, service: service),
                  target.isConnect == (method == "CONNECT") else { continue }
            traffic.uploads.append(ServiceRequest(method: Array(method.utf8), url: Array(target.url.utf8),
                                                  peer: peerAddress(forHost: target.host),
                                                  isConnect: target.isConnect, isUpload: true))
        }
        // Hosts from the domains, only where the host alone decides (no url patterns), and only
        // hosts no other service's (more specific) domain could claim.
        if !service.hasURLPatterns {
            traffic.browseMethod = safeMethod.map { Array($0.utf8) }
            var names: [String] = []
            for domain in service.domains {
                var candidates = [domain]
                if domain.split(separator: ".").count == 2 { candidates.append("www." + domain) }
                candidates.append(rng.pick(["api", "app", "files", "cdn", "static", "m", "login", "eu"]) + "." + domain)
                for host in candidates where !names.contains(host) && catalogue.belongsOnlyTo(host: host, service: index) {
                    names.append(host)
                }
            }
            traffic.hosts = names.map { Host(name: Array($0.utf8), peer: peerAddress(forHost: $0)) }
            if traffic.browseMethod == nil && !traffic.canConnect { traffic.hosts = [] }
        }
        return traffic
    }

    /// How an example is logged: full URLs as they are, `host:port` as a CONNECT target.
    /// Scheme-less URLs are ambiguous as logged, so they are only used where `url` patterns cannot
    /// depend on the scheme (services without patterns), as `https://...`.
    private static func normalise(_ example: String, service: GeneratorCatalogue.Service)
        -> (url: String, host: String, isConnect: Bool)? {
        guard !example.isEmpty, !example.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\"" }) else {
            return nil
        }
        if let schemeEnd = example.range(of: "://") {
            let rest = example[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return (example, hostPart(of: String(authority)), false)
        }
        if let colon = example.lastIndex(of: ":"), !example.contains("/"),
           !example[example.index(after: colon)...].isEmpty,
           example[example.index(after: colon)...].allSatisfy(\.isASCIIDigit) {
            return (example, String(example[..<colon]), true)
        }
        guard !service.hasURLPatterns else { return nil }
        let authority = example.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return ("https://" + example, hostPart(of: String(authority)), false)
    }

    private static func hostPart(of authority: String) -> String {
        var host = Substring(authority)
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if let colon = host.lastIndex(of: ":"), !host.hasPrefix("[") { host = host[..<colon] }
        return String(host)
    }

    /// A stable server address per host (FNV-1a of the name), mostly IPv4, sometimes IPv6.
    static func peerAddress(forHost host: String) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let address: String
        if hash % 20 == 0 {
            address = "2606:4700::\(String((hash >> 8) & 0xffff, radix: 16)):\(String((hash >> 24) & 0xffff, radix: 16))"
        } else {
            let firstOctets = [13, 23, 34, 52, 93, 104, 142, 151, 162, 172, 185, 199, 203, 212]
            address = "\(firstOctets[Int((hash >> 8) % UInt64(firstOctets.count))]).\((hash >> 16) & 0xff).\((hash >> 24) & 0xff).\(1 + (hash >> 32) % 254)"
        }
        return Array(address.utf8)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
