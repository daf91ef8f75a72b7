// What the date and time functions need from outside: the statement's clock and the local
// timezone. SQLite reads the clock once per statement (sqlite3StmtCurrentTime) so every 'now' in
// a statement agrees; the engine passes that value in here rather than the functions reading it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The broken-down local time localtime_r reports.
package struct LocalTimeFields: Sendable, Equatable {
    package var year: Int
    package var month: Int
    package var day: Int
    package var hour: Int
    package var minute: Int
    package var second: Int

    package init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

package struct DateTimeContext: Sendable {
    /// The statement time as a julian day number times 86400000; 'now' and the zero-argument
    /// forms read it. Values <= 0 make 'now' an error (NULL), as in sqlite3.
    package var now: Int64
    /// Local time for a unix time in seconds; nil when unavailable ("local time unavailable").
    package var localTime: @Sendable (Int64) -> LocalTimeFields?
    /// Where the call sits when it must be deterministic ("a CHECK constraint", "an index",
    /// "a generated column"): 'now', 'localtime' and 'utc' are errors there. nil elsewhere.
    package var deterministicSite: String?

    package init(
        now: Int64,
        localTime: @escaping @Sendable (Int64) -> LocalTimeFields? = DateTimeContext.systemLocalTime,
        deterministicSite: String? = nil
    ) {
        self.now = now
        self.localTime = localTime
        self.deterministicSite = deterministicSite
    }

    /// The statement time for a unix time in milliseconds.
    package static func julianMilliseconds(unixMilliseconds: Int64) -> Int64 {
        unixMilliseconds + 210_866_760_000_000
    }

    /// The C library's localtime_r, as SQLite's osLocaltime uses.
    package static let systemLocalTime: @Sendable (Int64) -> LocalTimeFields? = { seconds in
        var t = time_t(seconds)
        var fields = tm()
        guard localtime_r(&t, &fields) != nil else { return nil }
        return LocalTimeFields(
            year: Int(fields.tm_year) + 1900, month: Int(fields.tm_mon) + 1, day: Int(fields.tm_mday),
            hour: Int(fields.tm_hour), minute: Int(fields.tm_min), second: Int(fields.tm_sec))
    }

    /// sqlite3NotPureFunc.
    func requireNonDeterministicAllowed(_ function: String) throws(FunctionError) {
        if let site = deterministicSite {
            throw FunctionError("non-deterministic use of \(function)() in \(site)")
        }
    }
}
