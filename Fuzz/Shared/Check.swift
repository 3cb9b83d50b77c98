// Invariant checks for the fuzz targets: a broken invariant is a crash libFuzzer records.

/// Stops with `message` (libFuzzer saves the input that got here).
func fail(_ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz invariant: " + message())
}

/// Stops with `message` unless `condition` holds.
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}
