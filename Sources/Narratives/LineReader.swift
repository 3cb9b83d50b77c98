import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A problem with an input file itself (not with one of its lines).
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// An input file identified well enough to notice if it changes between runs.
public struct SourceFile: Sendable, Equatable {
    /// Absolute path.
    public var path: String
    /// Size on disk in bytes (compressed size for gzip files).
    public var size: Int64
    /// FNV-1a 64 of the first MiB, in hex, with the size: cheap and enough to tell files apart.
    public var fingerprint: String
    public var isGzip: Bool

    /// Reads the identity of the file at `path`.
    public init(path: String) throws(InputError) {
        let absolute = path.hasPrefix("/") ? path : (FileSystem.currentDirectory + "/" + path)
        let fd = open(absolute, O_RDONLY)
        guard fd >= 0 else { throw InputError(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(path: path, reason: "not a regular file")
        }
        var head = [UInt8](repeating: 0, count: 1 << 20)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw InputError(path: path, reason: "cannot read: \(String(cString: strerror(errno)))") }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in head[0..<n] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        self.path = FileSystem.normalize(absolute)
        self.size = Int64(info.st_size)
        self.fingerprint = String(hash, radix: 16)
        self.isGzip = n >= 2 && head[0] == 0x1F && head[1] == 0x8B
    }
}

/// Lines read from an input, kept together so a batch is decoded and stored as one unit.
public struct LineBatch: Sendable {
    /// The lines' bytes, newlines included.
    public var bytes: [UInt8]
    /// Each line's range in `bytes`, without its newline.
    public var lines: [Range<Int>]
    /// 1-based line number of `lines[0]` in the file.
    public var firstLineNumber: Int
    /// Offset in the (decompressed) input just after the batch's last newline.
    public var endOffset: Int64
}

/// Reads a plain or gzip-compressed JSONL file as batches of whole lines, in bounded memory.
///
/// Resuming at a byte offset reached by an earlier run (`startOffset`, an offset in the
/// decompressed stream and always at a line start) continues exactly where it stopped.
public final class LineReader {
    /// Longest accepted line; anything longer is not a Localized Narrative.
    public static let maximumLineBytes = 64 << 20

    public let source: SourceFile
    private var fd: Int32 = -1
    private var gz: gzFile?
    /// Read buffer: bytes `start..<filled` are read but not yet returned in a batch.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var filled = 0
    private var atEnd = false
    private var nextLineNumber: Int
    private var offset: Int64

    public init(_ source: SourceFile, startOffset: Int64 = 0, startLineNumber: Int = 1) throws(InputError) {
        self.source = source
        self.offset = startOffset
        self.nextLineNumber = startLineNumber
        self.capacity = 1 << 20
        self.buffer = .allocate(capacity: capacity)
        if source.isGzip {
            guard let handle = gzopen(source.path, "rb") else {
                throw InputError(path: source.path, reason: "cannot open gzip stream")
            }
            gz = handle
            gzbuffer(handle, 1 << 18)
            if startOffset > 0, gzseek(handle, Int(startOffset), SEEK_SET) != Int(startOffset) {
                throw InputError(path: source.path, reason: "cannot resume at offset \(startOffset): file is shorter")
            }
        } else {
            fd = open(source.path, O_RDONLY)
            guard fd >= 0 else { throw InputError(path: source.path, reason: "cannot open: \(String(cString: strerror(errno)))") }
            if startOffset > 0, lseek(fd, off_t(startOffset), SEEK_SET) != off_t(startOffset) {
                throw InputError(path: source.path, reason: "cannot resume at offset \(startOffset)")
            }
        }
    }

    deinit {
        buffer.deallocate()
        if let gz { gzclose(gz) }
        if fd >= 0 { close(fd) }
    }

    /// Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress.
    public var diskPosition: Int64 {
        if let gz { return Int64(gzoffset(gz)) }
        return offset
    }

    /// The next batch of at least one line, up to about `maxBytes` bytes or `maxLines` lines; nil at the end.
    public func next(maxBytes: Int = 4 << 20, maxLines: Int = .max) throws(InputError) -> LineBatch? {
        var lines: [Range<Int>] = []  // relative to `start`
        var scanned = start
        var lineStart = start
        while true {
            while scanned < filled, lines.count < maxLines, lineStart - start < maxBytes {
                guard let hit = memchr(buffer + scanned, 0x0A, filled - scanned) else {
                    scanned = filled
                    break
                }
                let newline = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                lines.append(lineStart - start..<newline - start)
                scanned = newline + 1
                lineStart = scanned
            }
            if lines.count >= maxLines || lineStart - start >= maxBytes { break }
            if atEnd {
                if lineStart < filled {
                    lines.append(lineStart - start..<filled - start)
                    lineStart = filled
                }
                break
            }
            if filled - lineStart > LineReader.maximumLineBytes {
                throw InputError(
                    path: source.path,
                    reason: "line \(nextLineNumber + lines.count) is longer than \(LineReader.maximumLineBytes >> 20) MiB")
            }
            // Make room: move unreturned bytes to the front, grow when a batch needs more.
            if start > 0 {
                let kept = filled - start
                buffer.update(from: buffer + start, count: kept)
                scanned -= start
                lineStart -= start
                filled = kept
                start = 0
            }
            let want = max(1 << 20, min(maxBytes, 4 << 20))
            if capacity - filled < want { grow(to: filled + want) }
            try fill(count: want)
        }
        guard !lines.isEmpty else { return nil }
        let bytes = Array(UnsafeBufferPointer(start: buffer + start, count: lineStart - start))
        start = lineStart
        offset += Int64(bytes.count)
        let batch = LineBatch(bytes: bytes, lines: lines, firstLineNumber: nextLineNumber, endOffset: offset)
        nextLineNumber += lines.count
        return batch
    }

    private func grow(to size: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = bigger
        capacity = size
    }

    private func fill(count want: Int) throws(InputError) {
        let target = buffer + filled
        var n: Int
        if let gz {
            n = Int(gzread(gz, target, UInt32(want)))
        } else {
            repeat { n = read(fd, target, want) } while n < 0 && errno == EINTR
        }
        guard n >= 0 else {
            if gz != nil { throw InputError(path: source.path, reason: "corrupt gzip data") }
            throw InputError(path: source.path, reason: "read failed: \(String(cString: strerror(errno)))")
        }
        filled += n
        if n == 0 {
            if let gz {
                var code: Int32 = Z_OK
                let message = gzerror(gz, &code).map { String(cString: $0) } ?? ""
                if code != Z_OK || gzeof(gz) == 0 {
                    throw InputError(
                        path: source.path,
                        reason: "gzip stream is corrupt or truncated (\(message)) after \(offset + Int64(filled - start)) decompressed bytes; the lines before it were read")
                }
            }
            atEnd = true
        }
    }
}
