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
        let hash = head.withUnsafeBufferPointer { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in UnsafeBufferPointer(rebasing: bytes[0..<n]) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
        self.path = FileSystem.normalize(absolute)
        self.size = Int64(info.st_size)
        self.fingerprint = String(hash, radix: 16)
        self.isGzip = n >= 2 && head[0] == 0x1F && head[1] == 0x8B
    }
}

/// The bytes of a batch of lines: a region of a mapped input file, or a buffer of their own
/// (gzip input). Read-only; valid while the object lives.
public final class LineBytes: @unchecked Sendable {
    public let count: Int
    private let base: UnsafePointer<UInt8>
    private let mapping: FileMapping?

    /// A copy of `bytes`.
    init(copying bytes: UnsafeBufferPointer<UInt8>) {
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        if let source = bytes.baseAddress { storage.update(from: source, count: bytes.count) }
        base = UnsafePointer(storage)
        count = bytes.count
        mapping = nil
    }

    /// `count` bytes of `mapping` from `offset`.
    init(_ mapping: FileMapping, offset: Int, count: Int) {
        self.mapping = mapping
        base = mapping.base + offset
        self.count = count
    }

    deinit {
        if let mapping {
            // Done with these pages: drop them from the process (the page cache keeps them; a
            // neighbouring batch that shares an edge page reads it back from there), so
            // resident memory stays flat however large the file.
            mapping.release(from: mapping.base.distance(to: base), count: count)
        } else {
            UnsafeMutablePointer(mutating: base).deallocate()
        }
    }

    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes in `range`.
    public func copy(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// Whether `range` holds only spaces, tabs and carriage returns.
    public func isBlank(_ range: Range<Int>) -> Bool {
        LineBytes.isBlank(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// Whether a line holds only spaces, tabs and carriage returns (it is skipped, not parsed).
    public static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}

/// A whole input file mapped read-only, unmapped when the reader and its batches are gone.
///
/// A file truncated by another process while it is mapped makes reads past its new end
/// fault (SIGBUS): the run dies like a killed one, and a rerun resumes from the last commit.
final class FileMapping: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let length: Int
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Linux's MADV_POPULATE_READ (5.14 and later).
    private static let populateRead: Int32 = 22

    init?(fd: Int32, length: Int) {
        guard length > 0, let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            return nil
        }
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        self.length = length
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), length)
    }

    /// Maps the pages covering `count` bytes from `offset` (as far as the file goes) now.
    func populate(from offset: Int, count: Int) {
        let page = FileMapping.pageSize
        let start = offset / page * page
        let end = min(offset + count, length)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, FileMapping.populateRead)
    }

    /// Drops the resident pages covering `count` bytes from `offset`.
    func release(from offset: Int, count: Int) {
        let page = FileMapping.pageSize
        let start = offset / page * page
        let end = min((offset + count + page - 1) / page * page, (length + page - 1) / page * page)
        guard end > start else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

/// Lines read from an input, kept together so a batch is decoded and stored as one unit.
public struct LineBatch: Sendable {
    /// The lines' bytes, newlines included.
    public var bytes: LineBytes
    /// Each line's range in `bytes`, without its newline.
    public var lines: [Range<Int>]
    /// 1-based line number of `lines[0]` in the file.
    public var firstLineNumber: Int
    /// Offset in the (decompressed) input just after the batch's last newline.
    public var endOffset: Int64
}

/// Reads a plain or gzip-compressed JSONL file as batches of whole lines, in bounded memory.
///
/// A plain file is mapped and its batches are regions of the mapping (no copy; each batch
/// drops its pages from the process when it is freed). A gzip stream is decompressed into a
/// buffer and each batch is copied out of it.
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
    /// The mapped plain file (nil for gzip, and for an empty file).
    private var mapping: FileMapping?
    private var mappedLength = 0

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
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                throw InputError(path: source.path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            mappedLength = Int(info.st_size)
            guard startOffset <= Int64(mappedLength) else {
                throw InputError(path: source.path, reason: "cannot resume at offset \(startOffset)")
            }
            if mappedLength > 0 {
                guard let mapped = FileMapping(fd: fd, length: mappedLength) else {
                    throw InputError(path: source.path, reason: "cannot map: \(String(cString: strerror(errno)))")
                }
                mapping = mapped
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
        if gz == nil { return try nextMapped(maxBytes: maxBytes, maxLines: maxLines) }
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
        let bytes = LineBytes(copying: UnsafeBufferPointer(start: buffer + start, count: lineStart - start))
        start = lineStart
        offset += Int64(bytes.count)
        let batch = LineBatch(bytes: bytes, lines: lines, firstLineNumber: nextLineNumber, endOffset: offset)
        nextLineNumber += lines.count
        return batch
    }

    /// `next` over the mapped file.
    private func nextMapped(maxBytes: Int, maxLines: Int) throws(InputError) -> LineBatch? {
        let start = Int(offset)
        guard let mapping, start < mappedLength else { return nil }
        // Map the batch's pages in one call instead of a fault every few pages (the call
        // fails harmlessly on kernels before 5.14, which then fault them in as they are read).
        mapping.populate(from: start, count: min(maxBytes, 64 << 20) + (64 << 10))
        var lines: [Range<Int>] = []
        var lineStart = start
        while lineStart < mappedLength, lines.count < maxLines, lineStart - start < maxBytes {
            let searched = min(mappedLength - lineStart, LineReader.maximumLineBytes + 1)
            if let hit = memchr(mapping.base + lineStart, 0x0A, searched) {
                let newline = mapping.base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                lines.append(lineStart - start..<newline - start)
                lineStart = newline + 1
            } else if searched > LineReader.maximumLineBytes {
                throw InputError(
                    path: source.path,
                    reason: "line \(nextLineNumber + lines.count) is longer than \(LineReader.maximumLineBytes >> 20) MiB")
            } else {
                // The last line has no newline.
                lines.append(lineStart - start..<mappedLength - start)
                lineStart = mappedLength
            }
        }
        offset = Int64(lineStart)
        let batch = LineBatch(
            bytes: LineBytes(mapping, offset: start, count: lineStart - start), lines: lines,
            firstLineNumber: nextLineNumber, endOffset: offset)
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
