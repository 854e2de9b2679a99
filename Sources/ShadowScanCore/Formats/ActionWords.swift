/// Gateways name their decisions differently; these words mean "refused by policy" (prefix match, any
/// case): `blocked`, `block-url`, `deny`, `denied`, `drop`, `reset-both`, `reject`, `override-lockout`.
/// `alert`, `allow(ed)`, `pass(through)`, `permitted`, `monitor(ed)`, `continue` mean allowed.
enum ActionWords {
    @inline(__always)
    static func isDenial(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Bool {
        guard span.count >= 4 else { return false }
        return s.hasPrefixIgnoringCase(span, "block") || s.hasPrefixIgnoringCase(span, "den") || s.hasPrefixIgnoringCase(span, "drop")
            || s.hasPrefixIgnoringCase(span, "reset") || s.hasPrefixIgnoringCase(span, "reject") || s.hasPrefixIgnoringCase(span, "override-lockout")
            || s.hasPrefixIgnoringCase(span, "quarantine")
    }
}
