import Pager

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `DatabaseError` (the standard library's version
    /// rethrows untyped errors).

    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        let result = withUnsafeBytes { bytes in
            Result { () throws(DatabaseError) -> R in try body(bytes) }
        }
        return try result.get()
    }
}
