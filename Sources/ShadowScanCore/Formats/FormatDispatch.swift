/// The hot loop is generic over the parser: one `processLines` specialisation per format, chosen once
/// per chunk. Parsers that need the header in effect (W3C, CSV with a header row) or the JSON field
/// mapping get it from the chunk's context.
extension WorkerTallies {
    mutating func processGatewayFormat(_ chunk: UnsafeRawBufferPointer, _ item: WorkItem, _ stats: inout ChunkStats) {
        let header: [UInt8]?
        if case .header(let bytes)? = item.context { header = bytes } else { header = nil }
        switch item.format {
        case .squidNative: processLines(chunk, SquidNativeParser(), &stats)
        case .squidCommon, .squidCombined: processLines(chunk, SquidCommonParser(), &stats)
        case .w3c: processLines(chunk, W3CParser(header: header), &stats)
        case .bluecoatW3C: processLines(chunk, W3CParser(header: header, blueCoatDefault: true), &stats)
        case .bluecoatKV: processLines(chunk, BlueCoatKeyValueParser(), &stats)
        case .ciscoWSA: processLines(chunk, CiscoWSAParser(), &stats)
        case .zscalerJSON: processLines(chunk, ZscalerNSSJSONParser(), &stats)
        case .zscalerCSV: processLines(chunk, ZscalerNSSCSVParser(header: header), &stats)
        case .zscalerKV: processLines(chunk, ZscalerNSSKeyValueParser(), &stats)
        case .fortigate: processLines(chunk, FortiGateParser(), &stats)
        case .skyhigh: processLines(chunk, SkyhighWebGatewayParser(), &stats)
        case .forcepointCSV: processLines(chunk, ForcepointCSVParser(header: header), &stats)
        case .cef: processLines(chunk, CEFParser(), &stats)
        case .paloAlto: processLines(chunk, PaloAltoURLParser(), &stats)
        case .squidGuard: processLines(chunk, SquidGuardParser(), &stats)
        case .ufdbGuard: processLines(chunk, UfdbGuardParser(), &stats)
        case .json:
            if case .fieldMap(let map)? = item.context { processLines(chunk, GenericJSONParser(map: map), &stats) }
            else { processLines(chunk, GenericJSONParser(), &stats) }
        case .postfix, .exim, .exchangeTracking, .m365MessageTrace: processMailChunk(chunk, item, &stats)   // Analysis/MailWorker.swift
        @unknown default: processLines(chunk, RejectingParser(), &stats)
        }
    }
}
