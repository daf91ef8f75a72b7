import Testing
@testable import BTree

@Suite struct VarintTests {
    @Test func roundTripsBoundaries() {
        var values: [UInt64] = [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1f_ffff, 0x20_0000, UInt64.max, UInt64(Int64.max)]
        for shift in 0..<64 {
            let power = UInt64(1) << UInt64(shift)
            values.append(power)
            values.append(power - 1)
            values.append(power + 1)
        }
        var buffer = [UInt8](repeating: 0, count: 16)
        for value in values {
            let length = buffer.withUnsafeMutableBytes { Varint.write(value, into: $0, at: 0) }
            #expect(length == Varint.encodedLength(value))
            let decoded = buffer.withUnsafeBytes { Varint.read($0, at: 0, end: length) }
            #expect(decoded?.value == value)
            #expect(decoded?.length == length)
            if length > 1 {
                let truncated = buffer.withUnsafeBytes { Varint.read($0, at: 0, end: length - 1) }
                #expect(truncated == nil)
            }
            var appended: [UInt8] = []
            Varint.append(value, to: &appended)
            #expect(appended == Array(buffer[0..<length]))
        }
    }
}
