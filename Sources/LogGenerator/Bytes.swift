/// Byte-level formatting helpers: the generator appends straight into a `[UInt8]` buffer instead of
/// building a `String` per line (the 1 GiB benchmark log must be generated in seconds).
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(ascii text: String) { append(contentsOf: text.utf8) }

    /// Appends a non-negative integer in decimal.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        precondition(value >= 0)
        if value < 10 { append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        // Reserve the digits, then fill them from the right.
        let end = count + digits
        append(contentsOf: repeatElement(0, count: digits))
        var i = end - 1
        v = value
        while v > 0 {
            self[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
    }

    /// Appends `value` right-aligned in `width` characters, padded with `pad` (spaces or zeros).
    @inline(__always)
    mutating func appendDecimal(_ value: Int, width: Int, pad: UInt8) {
        var digits = 1
        var v = value
        while v >= 10 { v /= 10; digits += 1 }
        if digits < width { append(contentsOf: repeatElement(pad, count: width - digits)) }
        appendDecimal(value)
    }

    @inline(__always)
    mutating func appendTwoDigits(_ value: Int) {
        append(UInt8(ascii: "0") + UInt8(value / 10))
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

extension UInt8 {
    @inline(__always) var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
