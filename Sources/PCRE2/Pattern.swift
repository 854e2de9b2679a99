import CPCRE2

/// A compiled PCRE2 pattern (UTF-8, `PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF`), JIT-compiled
/// when the library supports it. Compile once, share between workers (a compiled pattern is read-only);
/// every worker matches with its own `MatchScratch`.
///
/// ```swift
/// let pattern = try Pattern("^https?://[^/]+/s/")
/// let scratch = MatchScratch()
/// let hit = try pattern.firstMatch(in: bytes, scratch: scratch)   // Range<Int>?
/// ```
public final class Pattern: @unchecked Sendable {
    /// The pattern as written in the rule.
    public let source: String
    /// True when the pattern runs on PCRE2's JIT.
    public let isJITCompiled: Bool
    let code: OpaquePointer

    public init(_ source: String, caseless: Bool = false) throws(PCRE2CompileError) {
        var options = UInt32(PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = source.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.withMemoryRebound(to: UInt8.self) { bytes in
                pcre2_compile_8(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset, nil)
            }
        } ?? {
            var copy = Array(source.utf8)
            return pcre2_compile_8(&copy, copy.count, options, &errorCode, &errorOffset, nil)
        }()
        guard let compiled else {
            throw PCRE2CompileError(pattern: source, offset: errorOffset, message: PCRE2.message(for: errorCode))
        }
        self.code = compiled
        self.source = source
        self.isJITCompiled = PCRE2.jitAvailable && pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// The byte range of the first match in `subject`, or nil.
    /// Throws `PCRE2MatchError` when the match or depth limit stopped the search: a run counts these
    /// instead of hanging on a pathological pattern.
    public func firstMatch(in subject: UnsafeRawBufferPointer, scratch: MatchScratch) throws(PCRE2MatchError) -> Range<Int>? {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? PCRE2.emptySubject
        let rc: Int32
        if isJITCompiled {
            rc = pcre2_jit_match_8(code, base, subject.count, 0, 0, scratch.matchData, scratch.matchContext)
        } else {
            rc = pcre2_match_8(code, base, subject.count, 0, 0, scratch.matchData, scratch.matchContext)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 { throw PCRE2MatchError(code: rc, message: PCRE2.message(for: rc)) }
        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        return ovector[0]..<ovector[1]
    }

    /// Convenience for tests and non-hot paths: does `text` contain a match?
    public func matches(_ text: String, scratch: MatchScratch) throws(PCRE2MatchError) -> Bool {
        var copy = Array(text.utf8)
        let result = copy.withUnsafeMutableBytes { bytes in
            Result { () throws(PCRE2MatchError) in try firstMatch(in: UnsafeRawBufferPointer(bytes), scratch: scratch) }
        }
        return try result.get() != nil
    }
}

/// Per-worker match state: match data (the ovector), a match context carrying the limits, and a JIT
/// stack. Reused for every match a worker makes; never shared between threads.
public final class MatchScratch {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer
    private let jitStack: OpaquePointer?

    /// - Parameters:
    ///   - matchLimit: PCRE2's match limit (calls to its internal match function); bounds backtracking.
    ///   - depthLimit: PCRE2's depth limit (the interpreter honours it; the JIT is bounded by its stack).
    public init(matchLimit: UInt32 = PCRE2.defaultMatchLimit, depthLimit: UInt32 = PCRE2.defaultDepthLimit) {
        matchData = pcre2_match_data_create_8(2, nil)!
        matchContext = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(matchContext, matchLimit)
        pcre2_set_depth_limit_8(matchContext, depthLimit)
        jitStack = PCRE2.jitAvailable ? pcre2_jit_stack_create_8(32 * 1024, 512 * 1024, nil) : nil
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }
}

public struct PCRE2CompileError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    /// Byte offset in the pattern where PCRE2 stopped.
    public let offset: Int
    public let message: String
    public var description: String { "bad regular expression '\(pattern)' at offset \(offset): \(message)" }
}

public struct PCRE2MatchError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var isLimit: Bool {
        code == PCRE2_ERROR_MATCHLIMIT || code == PCRE2_ERROR_DEPTHLIMIT || code == PCRE2_ERROR_HEAPLIMIT
            || code == PCRE2_ERROR_JIT_STACKLIMIT
    }
    public var description: String { "PCRE2 match failed (\(code)): \(message)" }
}

/// Library-wide facts.
public enum PCRE2 {
    public static let defaultMatchLimit: UInt32 = 100_000
    public static let defaultDepthLimit: UInt32 = 5_000

    /// Whether this build of libpcre2 has a JIT for this CPU.
    public static let jitAvailable: Bool = {
        var value: UInt32 = 0
        return pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &value) >= 0 && value == 1
    }()

    /// The library version, e.g. "10.42 2022-12-11".
    public static let version: String = {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), &buffer)
        return n > 0 ? String(decoding: buffer.prefix(Int(n) - 1), as: UTF8.self) : "unknown"
    }()

    /// Where the JIT targets, e.g. "x86 64bit (little endian + unaligned)", or nil without JIT.
    public static let jitTarget: String? = {
        guard jitAvailable else { return nil }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = pcre2_config_8(UInt32(PCRE2_CONFIG_JITTARGET), &buffer)
        return n > 0 ? String(decoding: buffer.prefix(Int(n) - 1), as: UTF8.self) : nil
    }()

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer.prefix(Int(n)), as: UTF8.self) : "error \(code)"
    }

    // PCRE2 rejects a null subject pointer even for length 0.
    nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return UnsafePointer(p)
    }()
}
