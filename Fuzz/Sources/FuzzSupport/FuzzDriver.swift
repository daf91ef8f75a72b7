#if FUZZING
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// libFuzzer's entry for programs that keep their own main (it is linked from
// libclang_rt.fuzzer_no_main by scripts/fuzz.sh): SwiftPM gives an executable target's main its
// own symbol name, which libFuzzer's main() could not coexist with.
@_extern(c, "LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Hands the process to libFuzzer, which calls `test` with each input.
package enum FuzzDriver {
    package static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
#endif
