/// A blob or file whose bytes are shorter or otherwise other than its layout says.
public struct CorruptBytes: Error, CustomStringConvertible, Sendable {
    public var what: String

    public init(what: String) {
        self.what = what
    }

    public var description: String { "corrupt \(what) blob" }
}

/// Reads little-endian values one after another, throwing `CorruptBytes` past the end: the
/// corpus's blobs (`Packing`) and the compiled lexicon cache.
public struct ByteReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline let what: String
    /// Bytes read so far.
    public var offset = 0

    public init(_ bytes: UnsafeRawBufferPointer, what: String) {
        self.bytes = bytes
        self.what = what
    }

    public var remaining: Int { bytes.count - offset }

    @inlinable public mutating func u32() throws(CorruptBytes) -> Int {
        guard remaining >= 4 else { throw CorruptBytes(what: what) }
        defer { offset += 4 }
        return Int(Self.u32(at: offset, in: bytes))
    }

    /// The little-endian Float at byte `at`, which the caller has checked lies inside.
    @inlinable public func float(at: Int) -> Float { Float(bitPattern: Self.u32(at: at, in: bytes)) }

    @inlinable public mutating func f32() throws(CorruptBytes) -> Float { Float(bitPattern: UInt32(try u32())) }

    public mutating func u64() throws(CorruptBytes) -> UInt64 {
        let low = UInt64(try u32()), high = UInt64(try u32())
        return high << 32 | low
    }

    public mutating func f64() throws(CorruptBytes) -> Double { Double(bitPattern: try u64()) }

    /// The next `count` bytes, valid while the buffer is.
    public mutating func raw(count: Int) throws(CorruptBytes) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw CorruptBytes(what: what) }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    public mutating func utf8(count: Int) throws(CorruptBytes) -> String {
        guard count >= 0, remaining >= count else { throw CorruptBytes(what: what) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
        offset += count
        return text
    }

    /// The little-endian value at byte `at` of `bytes`, which the caller has checked lies inside.
    @inlinable @inline(__always)
    static func u32(at: Int, in bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
}

/// Appends what `ByteReader` reads back, growing as it goes: little-endian 64-bit integers
/// and UTF-8 strings after their byte count (the lexicon cache). The corpus's blobs, whose
/// size is known first, are written in place instead (`Packing`).
public struct ByteWriter {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    public mutating func string(_ text: String) {
        int(Int64(text.utf8.count))
        bytes += text.utf8
    }

    public mutating func strings(_ list: [String]) {
        int(Int64(list.count))
        for s in list { string(s) }
    }

    public mutating func indices(_ list: [Int32]) {
        int(Int64(list.count))
        for i in list { int(Int64(i)) }
    }
}

/// Little-endian values written one after another into a buffer whose size is known before
/// (the ingest's blobs: no growth, no zeroing); `ByteWriter` is for output of unknown size.
public struct InPlaceByteWriter {
    public let raw: UnsafeMutableRawBufferPointer
    public var at = 0

    @inlinable public init(raw: UnsafeMutableRawBufferPointer) {
        self.raw = raw
    }

    @inlinable public mutating func u32(_ v: UInt32) {
        raw.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt32.self)
        at += 4
    }

    @inlinable public mutating func u64(_ v: UInt64) {
        raw.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt64.self)
        at += 8
    }

    @inlinable public mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        UnsafeMutableRawBufferPointer(rebasing: raw[at..<(at + source.count)]).copyMemory(from: UnsafeRawBufferPointer(source))
        at += source.count
    }
}
