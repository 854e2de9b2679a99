/// Squid's `%Ss/%>Hs` pair decides the proxy action: any `*_DENIED*` result code is a policy denial,
/// except HTTP 407, which is an authentication challenge. An origin server's 403 is not a denial.
enum SquidResultCode {
    @inline(__always)
    static func action(line: UnsafeRawBufferPointer, code: ByteSpan, status: Int32) -> ProxyAction {
        guard line.contains(code, "DENIED") else { return .allowed }
        return status == 407 ? .challenge : .denied
    }
}
