import CZlib
import Glibc
import Support

/// Where and why a compressed input stops making sense. Everything decompressed before
/// `compressedOffset` is good; a repaired file continues from the last complete line.
public struct InputDamage: Error, Sendable, Equatable, CustomStringConvertible {
    /// Compressed bytes of the file read when the damage showed (zlib reads ahead, so the
    /// damage lies at or a little before this byte).
    public var compressedOffset: Int64
    /// Decompressed bytes produced before it.
    public var decompressedOffset: Int64
    public var reason: String

    public var description: String {
        "damaged at compressed byte \(compressedOffset) (after \(decompressedOffset) decompressed bytes): \(reason)"
    }
}

/// A gzip file decompressed as a stream: one member or several concatenated (as `cat a.gz
/// b.gz` and parallel compressors write them). Unlike zlib's `gzread`, whatever was
/// decompressed before a damaged or truncated part is delivered first, and the damage is
/// then reported with its position.
final class GzipStream {
    private let path: String
    private let fd: Int32
    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var inputEnd = false
    /// A member ended; the next bytes start another one (or are the end of the file).
    private var betweenMembers = false
    private var finished = false
    /// Compressed bytes read from the file.
    private(set) var compressedRead: Int64 = 0
    /// Decompressed bytes delivered.
    private(set) var decompressed: Int64 = 0

    init(path: String) throws(PointillistError) {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw PointillistError(file: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        input = .allocate(capacity: inputCapacity)
        // 15 + 16: a gzip wrapper (not raw deflate, not zlib).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            close(fd)
            input.deallocate()
            throw PointillistError(file: path, reason: "cannot start gzip decompression")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
        close(fd)
    }

    /// Compressed bytes consumed by the decompressor, for progress.
    var compressedPosition: Int64 { compressedRead - Int64(stream.avail_in) }

    /// Why the stream stopped early; nil while it is good (or ended cleanly).
    private(set) var damage: InputDamage?

    /// Decompresses up to `count` bytes into `target`. Returns 0 at the end of the stream:
    /// its clean end, or damage (then `damage` says where), after the good bytes before it
    /// were returned.
    func read(into target: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard !finished, count > 0 else { return 0 }
        stream.next_out = target
        stream.avail_out = UInt32(clamping: count)
        do {
            try inflateUntilFull()
        } catch {
            damage = InputDamage(
                compressedOffset: compressedPosition, decompressedOffset: decompressed + Int64(count - Int(stream.avail_out)),
                reason: error.reason)
            finished = true
        }
        let produced = count - Int(stream.avail_out)
        decompressed += Int64(produced)
        return produced
    }

    private struct Failure: Error {
        var reason: String
    }

    private func inflateUntilFull() throws(Failure) {
        while stream.avail_out > 0 {
            if stream.avail_in == 0, !inputEnd { try refill() }
            if betweenMembers {
                guard stream.avail_in > 0 else {
                    finished = true
                    return
                }
                try startNextMember()
                if finished { return }
            }
            let code = inflate(&stream, Z_NO_FLUSH)
            switch code {
            case Z_STREAM_END:
                betweenMembers = true
            case Z_OK:
                break
            case Z_BUF_ERROR:
                // No progress was possible: more input is needed, and there is none.
                if stream.avail_in == 0, inputEnd {
                    throw Failure(reason: "the file ends inside a compressed member (truncated)")
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw Failure(reason: "corrupt compressed data (\(message))")
            }
        }
    }

    /// After a member's end: a gzip header starts the next one; zero padding (written by
    /// some tape and block tools) ends the file; anything else is damage.
    private func startNextMember() throws(Failure) {
        let next = UnsafeBufferPointer(start: stream.next_in, count: Int(stream.avail_in))
        if next.first == 0x1F {
            guard inflateReset(&stream) == Z_OK else { throw Failure(reason: "cannot restart decompression") }
            betweenMembers = false
            return
        }
        guard next.allSatisfy({ $0 == 0 }) else {
            throw Failure(reason: "bytes after the end of a gzip member are not another member")
        }
        stream.avail_in = 0
        if !inputEnd { try refill() }
        if stream.avail_in == 0 { finished = true }
    }

    private func refill() throws(Failure) {
        var n: Int
        repeat { n = readFile(fd, input, inputCapacity) } while n < 0 && errno == EINTR
        guard n >= 0 else { throw Failure(reason: "cannot read: \(String(cString: strerror(errno)))") }
        if n == 0 { inputEnd = true }
        compressedRead += Int64(n)
        stream.next_in = input
        stream.avail_in = UInt32(n)
    }
}

/// read(2), under a name a type's own `read` does not hide.
private func readFile(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
