/// Names for the engine's error and checkpoint types that the public Ringlite module, which
/// declares its own `DatabaseError`, `ResultCode` and `CheckpointMode`, can still spell
/// (`Pager.DatabaseError` would look inside the `Pager` class).
package typealias EngineError = DatabaseError
package typealias EngineResultCode = ResultCode
package typealias EngineCheckpointMode = CheckpointMode
