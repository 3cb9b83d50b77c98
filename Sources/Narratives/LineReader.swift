import CZlib
import Glibc
import Support

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
    public init(path: String) throws(PointillistError) {
        let absolute = FileSystem.absolute(path)
        let fd = open(absolute, O_RDONLY)
        guard fd >= 0 else { throw PointillistError(file: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw PointillistError(file: path, reason: "not a regular file")
        }
        var head = [UInt8](repeating: 0, count: 1 << 20)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw PointillistError(file: path, reason: "cannot read: \(String(cString: strerror(errno)))") }
        let hash = StableHash.fnv1a(head[0..<n])
        self.path = absolute
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
    /// Offset in the (decompressed) input of `bytes`' first byte.
    public var startOffset: Int64
    /// Offset in the (decompressed) input just after the batch's last newline.
    public var endOffset: Int64
    /// Set when the batch is one line longer than the reader's limit; `bytes` then hold only
    /// its first bytes (at most `LineReader.overlongPrefixBytes`).
    public var overlong: Overlong?
    /// Whether a UTF-8 byte-order mark before the first line of the file was skipped.
    public var skippedByteOrderMark = false

    /// A line longer than the limit.
    public struct Overlong: Sendable, Equatable {
        public var length: Int
        public var limit: Int

        /// Why the line is rejected, for the rejects file.
        public var reason: String {
            "the line is \(length) bytes long, over the limit of \(limit) bytes (--max-line-bytes); it was not read whole and only its first bytes are kept here"
        }
    }

    /// Offset just after line `index`'s newline.
    public func offset(after index: Int) -> Int64 {
        index == lines.count - 1 ? endOffset : startOffset + Int64(lines[index].upperBound + 1)
    }
}

/// Reads a plain or gzip-compressed JSONL file as batches of whole lines, in bounded memory.
///
/// A plain file is mapped and its batches are regions of the mapping (no copy; each batch
/// drops its pages from the process when it is freed). A gzip stream is decompressed into a
/// buffer and each batch is copied out of it; when the stream is damaged or truncated, the
/// complete lines before the damage are returned and `damage` says where it is.
///
/// A line longer than `maxLineBytes` is never held whole: it comes as a batch of its own,
/// with its length and its first bytes. A UTF-8 byte-order mark at the start of the file is
/// skipped (and said so on the first batch).
///
/// Resuming at a byte offset reached by an earlier run (`startOffset`, an offset in the
/// decompressed stream and always at a line start) continues exactly where it stopped.
public final class LineReader {
    /// The default longest line, 4 MiB: a Localized Narratives line holds a few kilobytes,
    /// a Video LN line (the longest) a few hundred, and decoding a line takes tens of bytes
    /// of memory per byte of it.
    public static let defaultMaximumLineBytes = 4 << 20
    /// Bytes of an over-long line that are kept, for the rejects file.
    public static let overlongPrefixBytes = 4096
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public let source: SourceFile
    public let maxLineBytes: Int
    /// Set once a gzip stream turned out damaged; the lines before it are returned first.
    public var damage: InputDamage? { gzip?.damage }
    private var gzip: GzipStream?
    /// Read buffer (gzip): bytes `start..<filled` are read but not yet returned in a batch.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var filled = 0
    private var atEnd = false
    private var nextLineNumber: Int
    private var offset: Int64
    /// Whether the next batch is the file's first and must look for a byte-order mark.
    private var atFileStart: Bool
    /// A byte-order mark was skipped and the batch that says so is not yet returned.
    private var skippedByteOrderMark = false
    /// The mapped plain file (nil for gzip, and for an empty file).
    private var mapping: FileMapping?
    private var mappedLength = 0

    public init(
        _ source: SourceFile, startOffset: Int64 = 0, startLineNumber: Int = 1,
        maxLineBytes: Int = LineReader.defaultMaximumLineBytes
    ) throws(PointillistError) {
        self.source = source
        self.offset = startOffset
        self.nextLineNumber = startLineNumber
        self.maxLineBytes = max(maxLineBytes, 1)
        self.atFileStart = startOffset == 0
        self.capacity = 1 << 20
        self.buffer = .allocate(capacity: capacity)
        if source.isGzip {
            gzip = try GzipStream(path: source.path)
            try skipDecompressed(startOffset)
        } else {
            let fd = open(source.path, O_RDONLY)
            guard fd >= 0 else { throw PointillistError(file: source.path, reason: "cannot open: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                throw PointillistError(file: source.path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            mappedLength = Int(info.st_size)
            guard startOffset <= Int64(mappedLength) else {
                throw PointillistError(file: source.path, reason: "cannot resume at offset \(startOffset): the file is shorter")
            }
            if mappedLength > 0 {
                guard let mapped = FileMapping(fd: fd, length: mappedLength) else {
                    throw PointillistError(file: source.path, reason: "cannot map: \(String(cString: strerror(errno)))")
                }
                mapping = mapped
                let resumed = Int(startOffset)
                if resumed > 0, resumed < mappedLength, mapped.base[resumed - 1] != 0x0A {
                    throw resumeMismatch(startOffset)
                }
            }
        }
    }

    deinit {
        buffer.deallocate()
    }

    /// Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress.
    public var diskPosition: Int64 {
        if let gzip { return gzip.compressedPosition }
        return offset
    }

    private func resumeMismatch(_ startOffset: Int64) -> PointillistError {
        PointillistError(file: source.path, reason: "cannot resume at offset \(startOffset): no line ends there (the file's content changed)")
    }

    /// Decompresses and drops the first `count` bytes (a resumed gzip file), checking that
    /// they end a line.
    private func skipDecompressed(_ count: Int64) throws(PointillistError) {
        guard count > 0, let gzip else { return }
        var left = count
        var last: UInt8 = 0x0A
        while left > 0 {
            let n = gzip.read(into: buffer, count: Int(min(left, Int64(capacity))))
            guard n > 0 else {
                throw PointillistError(
                    file: source.path,
                    reason: gzip.damage.map { "cannot resume at offset \(count): \($0)" }
                        ?? "cannot resume at offset \(count): the file is shorter")
            }
            last = buffer[n - 1]
            left -= Int64(n)
        }
        guard last == 0x0A else {
            // The end of the data is a line end too (a last line without a newline).
            fill(count: 1)
            guard filled == 0, atEnd else { throw resumeMismatch(count) }
            return
        }
    }

    /// The next batch of at least one line, up to about `maxBytes` bytes or `maxLines` lines; nil at the end.
    public func next(maxBytes: Int = 4 << 20, maxLines: Int = .max) -> LineBatch? {
        var batch = gzip == nil ? nextMapped(maxBytes: maxBytes, maxLines: maxLines) : nextBuffered(maxBytes: maxBytes, maxLines: maxLines)
        if batch != nil {
            batch!.skippedByteOrderMark = skippedByteOrderMark
            skippedByteOrderMark = false
        }
        return batch
    }

    /// At the start of the file, steps over a byte-order mark at `bytes`, if there is one.
    private func skipByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard atFileStart else { return 0 }
        atFileStart = false
        guard bytes.starts(with: LineReader.byteOrderMark) else { return 0 }
        skippedByteOrderMark = true
        return LineReader.byteOrderMark.count
    }

    /// `next` over a decompressed stream.
    private func nextBuffered(maxBytes: Int, maxLines: Int) -> LineBatch? {
        if atFileStart {
            // Three bytes at least, unless the stream is shorter.
            while filled - start < 3, !atEnd { makeRoom(want: 1 << 20) }
            let skipped = skipByteOrderMark(UnsafeBufferPointer(start: buffer + start, count: filled - start))
            start += skipped
            offset += Int64(skipped)
        }
        var lines: [Range<Int>] = []  // relative to `start`
        var scanned = start
        var lineStart = start
        while true {
            while scanned < filled, lines.count < maxLines, lineStart - start < maxBytes {
                let searched = min(filled - scanned, maxLineBytes + 1 - (scanned - lineStart))
                guard searched > 0, let hit = memchr(buffer + scanned, 0x0A, searched) else {
                    scanned += max(searched, 0)
                    break
                }
                let newline = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                lines.append(lineStart - start..<newline - start)
                scanned = newline + 1
                lineStart = scanned
            }
            if lines.count >= maxLines || lineStart - start >= maxBytes { break }
            if scanned - lineStart > maxLineBytes {
                // An over-long line: the lines before it go first, then it alone.
                if !lines.isEmpty { break }
                return overlongBufferedLine()
            }
            if atEnd {
                // After damage, the incomplete line before it is not a line.
                if lineStart < filled, damage == nil {
                    lines.append(lineStart - start..<filled - start)
                    lineStart = filled
                }
                break
            }
            let moved = makeRoom(want: max(1 << 20, min(maxBytes, 4 << 20)))
            scanned -= moved
            lineStart -= moved
        }
        guard !lines.isEmpty else { return nil }
        let bytes = LineBytes(copying: UnsafeBufferPointer(start: buffer + start, count: lineStart - start))
        start = lineStart
        let batch = LineBatch(
            bytes: bytes, lines: lines, firstLineNumber: nextLineNumber, startOffset: offset,
            endOffset: offset + Int64(bytes.count))
        offset = batch.endOffset
        nextLineNumber += lines.count
        return batch
    }

    /// Moves the unreturned bytes to the front of the buffer (growing it when they leave
    /// less than `want` free) and reads more. Returns how far the bytes moved.
    @discardableResult
    private func makeRoom(want: Int) -> Int {
        let moved = start
        if start > 0 {
            let kept = filled - start
            buffer.update(from: buffer + start, count: kept)
            filled = kept
            start = 0
        }
        if capacity - filled < want { grow(to: filled + want) }
        fill(count: want)
        return moved
    }

    /// The line at `start`, longer than `maxLineBytes`: its first bytes are kept, the rest is
    /// read and dropped up to its newline.
    private func overlongBufferedLine() -> LineBatch? {
        let kept = LineBytes(copying: UnsafeBufferPointer(start: buffer + start, count: overlongPrefix))
        var length = 0
        while true {
            if let hit = memchr(buffer + start, 0x0A, filled - start) {
                let newline = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                length += newline - start
                start = newline + 1
                return overlongBatch(kept, length: length, newline: true)
            }
            length += filled - start
            start = 0
            filled = 0
            if atEnd {
                guard damage == nil else { return nil }  // cut by damage: not a line
                return overlongBatch(kept, length: length, newline: false)
            }
            fill(count: capacity)
        }
    }

    /// Bytes kept of an over-long line.
    private var overlongPrefix: Int { min(LineReader.overlongPrefixBytes, maxLineBytes) }

    private func overlongBatch(_ kept: LineBytes, length: Int, newline: Bool) -> LineBatch {
        let batch = LineBatch(
            bytes: kept, lines: [0..<kept.count], firstLineNumber: nextLineNumber, startOffset: offset,
            endOffset: offset + Int64(length + (newline ? 1 : 0)),
            overlong: LineBatch.Overlong(length: length, limit: maxLineBytes))
        offset = batch.endOffset
        nextLineNumber += 1
        return batch
    }

    /// `next` over the mapped file.
    private func nextMapped(maxBytes: Int, maxLines: Int) -> LineBatch? {
        guard let mapping else { return nil }
        if atFileStart {
            offset += Int64(skipByteOrderMark(UnsafeBufferPointer(start: mapping.base, count: mappedLength)))
        }
        let start = Int(offset)
        guard start < mappedLength else { return nil }
        // Map the batch's pages in one call instead of a fault every few pages (the call
        // fails harmlessly on kernels before 5.14, which then fault them in as they are read).
        mapping.populate(from: start, count: min(maxBytes, 64 << 20) + (64 << 10))
        var lines: [Range<Int>] = []
        var lineStart = start
        while lineStart < mappedLength, lines.count < maxLines, lineStart - start < maxBytes {
            let searched = min(mappedLength - lineStart, maxLineBytes + 1)
            if let hit = memchr(mapping.base + lineStart, 0x0A, searched) {
                let newline = mapping.base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                lines.append(lineStart - start..<newline - start)
                lineStart = newline + 1
            } else if searched > maxLineBytes {
                // An over-long line: the lines before it go first, then it alone.
                if !lines.isEmpty { break }
                return overlongMappedLine(mapping, at: start)
            } else {
                // The last line has no newline.
                lines.append(lineStart - start..<mappedLength - start)
                lineStart = mappedLength
            }
        }
        let batch = LineBatch(
            bytes: LineBytes(mapping, offset: start, count: lineStart - start), lines: lines,
            firstLineNumber: nextLineNumber, startOffset: Int64(start), endOffset: Int64(lineStart))
        offset = batch.endOffset
        nextLineNumber += lines.count
        return batch
    }

    /// The line at `start`, longer than `maxLineBytes`, found by scanning the mapping a
    /// chunk at a time and dropping each chunk's pages behind the scan.
    private func overlongMappedLine(_ mapping: FileMapping, at start: Int) -> LineBatch {
        let chunk = 8 << 20
        var end = mappedLength
        var newline = false
        var position = start
        while position < mappedLength {
            let count = min(chunk, mappedLength - position)
            if let hit = memchr(mapping.base + position, 0x0A, count) {
                end = mapping.base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                newline = true
                mapping.release(from: position, count: end - position)
                break
            }
            mapping.release(from: position, count: count)
            position += count
        }
        let kept = LineBytes(copying: UnsafeBufferPointer(start: mapping.base + start, count: overlongPrefix))
        mapping.release(from: start, count: overlongPrefix)
        return overlongBatch(kept, length: end - start, newline: newline)
    }

    private func grow(to size: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = bigger
        capacity = size
    }

    /// Decompresses up to `want` more bytes after `filled`; at the stream's end (clean or
    /// damaged) sets `atEnd`.
    private func fill(count want: Int) {
        guard let gzip, !atEnd else { return }
        let n = gzip.read(into: buffer + filled, count: min(want, capacity - filled))
        filled += n
        if n == 0 { atEnd = true }
    }
}
