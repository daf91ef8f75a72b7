import Logging
import Synchronization

/// Ringlite's log. Off unless `RINGLITE_LOG` names a level (trace, debug, info, notice, warning,
/// error, critical); messages go wherever the application bootstrapped swift-log to (the
/// `ringlite` shell and `bench` send them to stderr).
package enum Log {
    /// The level from `RINGLITE_LOG`, or nil when logging is off.
    package static let level: Logger.Level? = {
        guard let value = environmentVariable("RINGLITE_LOG") else { return nil }
        return Logger.Level(rawValue: value.lowercased())
    }()

    package static let logger: Logger = {
        var logger = Logger(label: "ringlite")
        logger.logLevel = level ?? .critical
        return logger
    }()

    @inlinable
    package static func log(_ level: Logger.Level, _ message: @autoclosure () -> String) {
        guard let enabled = Log.level, level >= enabled else { return }
        logger.log(level: level, "\(message())")
    }

    private static let said = Mutex<Set<String>>([])

    /// Logs `message` the first time `key` is seen in this process, and never again: for facts
    /// such as "io_uring is unavailable here" that hold for every database the process opens.
    package static func once(_ key: String, _ level: Logger.Level, _ message: @autoclosure () -> String) {
        let first = said.withLock { $0.insert(key).inserted }
        if first { log(level, message()) }
    }
}
