import Glibc

/// Writing to the terminal: standard error for diagnostics, and a progress line only on a TTY.
enum Terminal {
    static func error(_ message: String) {
        writeError(message + "\n")
    }

    /// Writes to file descriptor 2 directly (the C `stderr` global is not concurrency-safe in Swift 6).
    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Monotonic seconds.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A one-line progress bar on standard error, redrawn at most ten times a second.
final class ProgressBar {
    private let start = Terminal.now()
    private var lastDraw = 0.0
    private let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled && Terminal.stderrIsTerminal
    }

    func update(done: Int64, total: Int64, items: Int, unit: String, force: Bool = false) {
        guard enabled else { return }
        let now = Terminal.now()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 0
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let rate = Double(items) / elapsed
        let mbps = Double(done) / elapsed / 1e6
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = String(
            format: "\r%@ %3.0f%%  %@ / %@  %.0f %@/s  %.1f MB/s  ETA %@ ",
            bar, fraction * 100, Format.bytes(done), Format.bytes(total), rate, unit, mbps, Format.duration(eta))
        Terminal.writeError(line)
    }

    /// A bar for counted work (narratives, images) rather than bytes.
    func updateCount(done: Int, total: Int, label: String) {
        guard enabled else { return }
        let now = Terminal.now()
        guard done == total || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 1
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        Terminal.writeError(
            String(format: "\r%@ %3.0f%%  %@: %ld / %ld  %.0f/s ", bar, fraction * 100, label, done, total, Double(done) / elapsed))
    }

    func finish() {
        guard enabled else { return }
        Terminal.writeError("\r\u{1B}[2K")
    }
}

/// Standard output written in 64 KB chunks: row-by-row `print` locks and flushes too often
/// for commands that print hundreds of thousands of rows.
struct BufferedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
