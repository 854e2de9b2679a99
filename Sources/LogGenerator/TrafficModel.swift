import Foundation

/// What the truth needs to know about a record, decided when it is generated.
struct RecordFacts {
    /// Index of the catalogue service the record belongs to, if any.
    var service: Int?
    var isUpload = false
    /// Identity key: a user index, or `userCount + client index` for unauthenticated records.
    var identity = 0
}

/// Decides, record by record, who requests what, when, and what the proxy answers.
struct TrafficModel {
    var rng: SeededRandom
    let population: Population
    let format: SquidLogFormat
    private let serviceRate: Double

    private(set) var clockMillis: Int64
    /// The record being built; the generator lays it out right after `next()`.
    var record = SquidRecord()
    /// The authenticated retry that follows a 407 challenge.
    private var pending: (record: SquidRecord, facts: RecordFacts)?

    private var hourEndsAt: Int64 = 0
    private var meanGapMillis = 50.0
    /// Scripted workaround episodes (WorkaroundEpisodes.swift); nil unless enabled, so other logs stay
    /// byte-identical.
    var episodes: EpisodeInjector?

    init(population: Population, options: GeneratorOptions, rng: SeededRandom) {
        self.rng = rng
        self.population = population
        format = options.format.trafficShape
        serviceRate = options.serviceRate
        // A seeded early morning between 2 and 20 November 2026 (weekdays and weekends).
        let day = 2 + self.rng.below(19)
        clockMillis = CivilTime.epochSeconds(year: 2026, month: 11, day: day, hour: 6, minute: self.rng.below(60)) * 1000
            + Int64(self.rng.below(60_000))
    }

    /// Fills `record` with the next record and returns what the truth needs about it.
    mutating func next() -> RecordFacts {
        if let (retry, facts) = pending {
            pending = nil
            record = retry
            advanceClock(meanGap: 25)
            stampTime()
            return facts
        }
        advanceClock(meanGap: meanGap())
        stampTime()
        if episodes != nil, let facts = nextScripted() { return facts }

        // Who: a named user on their machine, or (about 4%) an unauthenticated client.
        let userIndex = population.userPicker.pick(&rng)
        let user = population.users[userIndex]
        let authenticated = rng.chance(0.96)
        let roaming = rng.chance(authenticated ? 0.05 : 0.3)
        let client = roaming ? population.firstKioskClient + rng.below(population.clients.count - population.firstKioskClient)
                             : user.homeClient
        record.client = population.clients[client]
        record.user = authenticated ? user.name : Bytes.dash
        record.userAgent = Bytes.userAgents[user.userAgent]
        record.httpVersion = rng.chance(0.95) ? Bytes.http11 : Bytes.http10
        var facts = RecordFacts(identity: authenticated ? userIndex : population.users.count + client)

        // What: a catalogue service, a near miss, a failed transaction, or ordinary business traffic.
        if population.servicePicker != nil && rng.chance(serviceRate) {
            fillServiceRequest(&facts)
        } else if !population.nearMissHosts.isEmpty && rng.chance(0.005) {
            fillBusinessRequest(host: rng.pick(population.nearMissHosts), denyRate: 0.05)
        } else if format == .native && rng.chance(0.002) {
            fillAbortedTransaction()
            facts.identity = population.users.count + client
        } else {
            fillBusinessRequest(host: population.hosts[population.hostPicker.pick(&rng)], denyRate: 0.02)
        }

        // Proxy authentication: the browser's first try is challenged (407, no user), then retried.
        if authenticated && record.resultCode != Bytes.noneNone && !isDenied && rng.chance(0.015) {
            pending = (record, facts)
            setDenied(status: 407)
            record.user = Bytes.dash
            facts.identity = population.users.count + client
        }
        return facts
    }

    private var isDenied: Bool { record.resultCode == Bytes.tcpDenied }

    // MARK: Time

    private mutating func advanceClock(meanGap: Double) {
        clockMillis += Int64(rng.exponential(mean: meanGap).rounded())
    }

    private mutating func stampTime() {
        record.millis = clockMillis
        if format != .native {
            let roll = rng.below(100)
            record.utcOffsetMinutes = roll < 85 ? 0 : (roll < 97 ? 60 : -300)
        }
    }

    /// Busy weekday office hours, quiet nights and weekends (recomputed once per hour of log time).
    private mutating func meanGap() -> Double {
        if clockMillis >= hourEndsAt {
            let t = CivilTime(epochSeconds: clockMillis / 1000)
            hourEndsAt = (clockMillis / 3_600_000 + 1) * 3_600_000
            let weekend = t.weekday == 0 || t.weekday == 6
            switch t.hour {
            case 8..<18: meanGapMillis = weekend ? 300 : 12
            case 7, 18, 19: meanGapMillis = weekend ? 500 : 40
            default: meanGapMillis = weekend ? 1500 : 400
            }
        }
        return meanGapMillis
    }

    // MARK: Records

    private mutating func fillServiceRequest(_ facts: inout RecordFacts) {
        let traffic = population.services[population.servicePicker!.pick(&rng)]
        facts.service = traffic.index
        let request: Population.ServiceRequest
        if !traffic.uploads.isEmpty && (rng.chance(0.1) || (traffic.examples.isEmpty && traffic.hosts.isEmpty)) {
            request = rng.pick(traffic.uploads)
        } else if !traffic.hosts.isEmpty && (traffic.examples.isEmpty || rng.chance(0.5)) {
            fillServiceHost(rng.pick(traffic.hosts), traffic: traffic)
            return
        } else {
            request = rng.pick(traffic.examples)
        }
        facts.isUpload = request.isUpload
        record.method = request.method
        record.url = request.url
        if rng.chance(0.10) { setDenied(status: 403); return }
        if request.isConnect {
            setTunnel(peer: request.peer)
        } else if request.isUpload {
            setFetched(code: Bytes.tcpMiss, status: rng.chance(0.8) ? 200 : 201, bytes: rng.int(150...2500),
                       mime: Bytes.json, peer: request.peer)
        } else {
            setFetched(code: Bytes.tcpMiss, status: rng.chance(0.9) ? 200 : 302, bytes: paretoBytes(min: 800),
                       mime: Bytes.html, peer: request.peer)
        }
    }

    /// A request to a host that belongs to the service by domain alone: CONNECT or `https://host/path`.
    private mutating func fillServiceHost(_ host: Population.Host, traffic: Population.ServiceTraffic) {
        let connect = traffic.canConnect && (traffic.browseMethod == nil || rng.chance(0.6))
        if connect {
            record.method = Bytes.connect
            record.url = host.name + Bytes.port443
        } else {
            record.method = traffic.browseMethod!
            record.url = Bytes.https + host.name
            _ = appendPath(api: false)
        }
        if rng.chance(0.10) { setDenied(status: 403); return }
        if connect { setTunnel(peer: host.peer) } else {
            setFetched(code: Bytes.tcpMiss, status: 200, bytes: paretoBytes(min: 500), mime: Bytes.json, peer: host.peer)
        }
    }

    private mutating func fillBusinessRequest(host: Population.Host, denyRate: Double) {
        let roll = rng.below(100)
        var mime = Bytes.html
        switch roll {
        case 0..<50:
            record.method = Bytes.connect
            record.url = host.name + (rng.chance(0.97) ? Bytes.port443 : Bytes.port8443)
        default:
            record.method = roll < 88 ? Bytes.get : roll < 95 ? Bytes.post : roll < 97 ? Bytes.head
                : roll < 99 ? Bytes.options : Bytes.put
            record.url = (rng.chance(0.75) ? Bytes.http : Bytes.https) + host.name
            mime = appendPath(api: record.method != Bytes.get)
        }
        if rng.chance(denyRate) { setDenied(status: 403); return }
        if record.method == Bytes.connect { setTunnel(peer: host.peer); return }
        if record.method != Bytes.get {
            let status = record.method == Bytes.post ? (rng.chance(0.9) ? 200 : 201) : (record.method == Bytes.options ? 204 : 200)
            setFetched(code: Bytes.tcpMiss, status: status, bytes: rng.int(120...3000), mime: Bytes.json, peer: host.peer)
            return
        }
        // GET: misses, cache hits, revalidations, redirects, errors.
        let outcome = rng.below(100)
        switch outcome {
        case 0..<62: setFetched(code: Bytes.tcpMiss, status: 200, bytes: paretoBytes(min: 300), mime: mime, peer: host.peer)
        case 62..<72: setCacheHit(code: Bytes.tcpHit, bytes: paretoBytes(min: 300), mime: mime)
        case 72..<76: setCacheHit(code: Bytes.tcpMemHit, bytes: paretoBytes(min: 200), mime: mime)
        case 76..<84: setFetched(code: Bytes.tcpRefreshUnmodified, status: 304, bytes: rng.int(220...480), mime: mime, peer: host.peer)
        case 84..<91: setFetched(code: Bytes.tcpMiss, status: rng.chance(0.5) ? 301 : 302, bytes: rng.int(380...720),
                                 mime: Bytes.html, peer: host.peer)
        case 91..<96: setFetched(code: Bytes.tcpMiss, status: 404, bytes: rng.int(900...5200), mime: Bytes.html, peer: host.peer)
        case 96..<98: setFetched(code: Bytes.tcpMissAborted, status: 200, bytes: paretoBytes(min: 100), mime: mime, peer: host.peer)
        default: setFetched(code: Bytes.tcpMiss, status: rng.chance(0.5) ? 500 : 503, bytes: rng.int(300...2000),
                            mime: Bytes.html, peer: host.peer)
        }
    }

    /// Squid 4+ logs connections closed before a request arrived as `NONE_NONE/000 ... error:...`.
    private mutating func fillAbortedTransaction() {
        record.method = Bytes.dash
        record.url = Bytes.errorBeforeHeaders
        record.user = Bytes.dash
        record.resultCode = Bytes.noneNone
        record.status = 0
        record.bytes = 0
        record.elapsed = rng.below(30_000)
        record.hierarchy = Bytes.hierNone
        record.peer = Bytes.dash
        record.mime = Bytes.dash
        record.referer = Bytes.dash
    }

    // MARK: Outcomes

    mutating func setDenied(status: Int) {
        record.resultCode = Bytes.tcpDenied
        record.status = status
        record.bytes = rng.int(3700...4300)
        record.elapsed = rng.below(3)
        record.hierarchy = Bytes.hierNone
        record.peer = Bytes.dash
        record.mime = Bytes.html
        record.referer = Bytes.dash
    }

    mutating func setTunnel(peer: [UInt8]) {
        record.resultCode = Bytes.tcpTunnel
        record.status = 200
        record.bytes = min(Int(rng.pareto(minimum: 400, alpha: 0.85)), 4_000_000_000)
        // Tunnels stay open: from a fraction of a second to (rarely) more than 1000 s, wider than %6tr.
        record.elapsed = min(Int(rng.pareto(minimum: 40, alpha: 0.7)), 3_600_000)
        record.hierarchy = Bytes.hierDirect
        record.peer = peer
        record.mime = Bytes.dash
        record.referer = Bytes.dash
    }

    mutating func setFetched(code: [UInt8], status: Int, bytes: Int, mime: [UInt8], peer: [UInt8]) {
        record.resultCode = code
        record.status = status
        record.bytes = bytes
        record.elapsed = min(Int(rng.pareto(minimum: 4, alpha: 1.2)), 120_000)
        record.hierarchy = Bytes.hierDirect
        record.peer = peer
        record.mime = mime
        setReferer()
    }

    private mutating func setCacheHit(code: [UInt8], bytes: Int, mime: [UInt8]) {
        record.resultCode = code
        record.status = 200
        record.bytes = bytes
        record.elapsed = rng.below(6)
        record.hierarchy = Bytes.hierNone
        record.peer = Bytes.dash
        record.mime = mime
        setReferer()
    }

    private mutating func setReferer() {
        guard format == .combined else { return }
        if rng.chance(0.5) {
            record.referer = Bytes.dash
        } else {
            record.referer = Bytes.https + population.hosts[population.hostPicker.pick(&rng)].name
            record.referer.append(UInt8(ascii: "/"))
        }
    }

    mutating func paretoBytes(min minimum: Double) -> Int {
        min(Int(rng.pareto(minimum: minimum, alpha: 1.1)), 500_000_000)
    }

    // MARK: Paths

    /// Appends a random path (and sometimes a query) to `record.url`; returns the matching MIME type.
    /// `api`: an endpoint for POST/PUT/... rather than a page or asset.
    mutating func appendPath(api: Bool) -> [UInt8] {
        if api {
            record.url.append(contentsOf: rng.chance(0.5) ? "/api/v1/".utf8 : "/api/v2/".utf8)
            record.url.append(contentsOf: Bytes.pathWords[rng.below(Bytes.pathWords.count)])
            if rng.chance(0.5) {
                record.url.append(UInt8(ascii: "/"))
                record.url.appendDecimal(rng.below(100_000))
            }
            return Bytes.json
        }
        let shape = rng.below(100)
        if shape < 12 {
            record.url.append(UInt8(ascii: "/"))
            return Bytes.html
        }
        let depth = 1 + rng.below(3)
        for _ in 0..<depth {
            record.url.append(UInt8(ascii: "/"))
            record.url.append(contentsOf: Bytes.pathWords[rng.below(Bytes.pathWords.count)])
        }
        if shape < 30 {
            // An API call with a query.
            record.url.append(contentsOf: "?id=".utf8)
            record.url.appendDecimal(rng.below(1_000_000))
            if rng.chance(0.4) {
                record.url.append(contentsOf: "&page=".utf8)
                record.url.appendDecimal(1 + rng.below(20))
            }
            return Bytes.json
        }
        let ext = rng.below(Bytes.extensions.count)
        record.url.append(UInt8(ascii: "/"))
        record.url.append(contentsOf: Bytes.pathWords[rng.below(Bytes.pathWords.count)])
        if shape < 45 {
            // Fingerprinted asset name.
            record.url.append(UInt8(ascii: "."))
            record.url.append(contentsOf: String(rng.next() & 0xffff_ffff, radix: 16).utf8)
        }
        record.url.append(UInt8(ascii: "."))
        record.url.append(contentsOf: Bytes.extensions[ext])
        return Bytes.mimes[ext]
    }
}

/// Byte constants, converted once.
enum Bytes {
    static let dash: [UInt8] = Array("-".utf8)
    static let http11: [UInt8] = Array("1.1".utf8)
    static let http10: [UInt8] = Array("1.0".utf8)
    static let connect: [UInt8] = Array("CONNECT".utf8)
    static let get: [UInt8] = Array("GET".utf8)
    static let post: [UInt8] = Array("POST".utf8)
    static let put: [UInt8] = Array("PUT".utf8)
    static let head: [UInt8] = Array("HEAD".utf8)
    static let options: [UInt8] = Array("OPTIONS".utf8)
    static let http: [UInt8] = Array("http://".utf8)
    static let https: [UInt8] = Array("https://".utf8)
    static let port443: [UInt8] = Array(":443".utf8)
    static let port8443: [UInt8] = Array(":8443".utf8)
    static let tcpMiss: [UInt8] = Array("TCP_MISS".utf8)
    static let tcpHit: [UInt8] = Array("TCP_HIT".utf8)
    static let tcpMemHit: [UInt8] = Array("TCP_MEM_HIT".utf8)
    static let tcpRefreshUnmodified: [UInt8] = Array("TCP_REFRESH_UNMODIFIED".utf8)
    static let tcpMissAborted: [UInt8] = Array("TCP_MISS_ABORTED".utf8)
    static let tcpTunnel: [UInt8] = Array("TCP_TUNNEL".utf8)
    static let tcpDenied: [UInt8] = Array("TCP_DENIED".utf8)
    static let noneNone: [UInt8] = Array("NONE_NONE".utf8)
    static let hierDirect: [UInt8] = Array("HIER_DIRECT".utf8)
    static let hierNone: [UInt8] = Array("HIER_NONE".utf8)
    static let html: [UInt8] = Array("text/html".utf8)
    static let json: [UInt8] = Array("application/json".utf8)
    static let errorBeforeHeaders: [UInt8] = Array("error:transaction-end-before-headers".utf8)
    static let pathWords: [[UInt8]] = Words.pathWords.map { Array($0.utf8) }
    static let extensions: [[UInt8]] = Words.fileExtensions.map { Array($0.ext.utf8) }
    static let mimes: [[UInt8]] = Words.fileExtensions.map { Array($0.mime.utf8) }
    static let userAgents: [[UInt8]] = Words.userAgents.map { Array($0.utf8) }
}
