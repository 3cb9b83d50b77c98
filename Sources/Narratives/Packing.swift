import Support

/// Compact binary layouts for the per-narrative blobs of the corpus.
///
/// All integers are unsigned 32-bit and all numbers little-endian; floats are IEEE 754.
/// `traces`:     u32 segmentCount, u32 pointCount × segmentCount, then per point f32 x, f32 y, f32 t
///               (12 bytes a point; f32 keeps LN's 4-decimal values for t below 1000 s).
/// `words`:      u32 wordCount, then per word u32 start, u32 length (Unicode scalars into the
///               caption), u8 status (`AlignmentStatus`), 3 zero bytes, f32 startTime, f32 endTime.
/// `utterances`: u32 count, then per utterance f64 start, f64 end, u32 byteCount, UTF-8 text.
public enum Packing {
    /// A blob that does not have the documented layout.
    /// A blob shorter or otherwise other than its layout says (`ByteReader`'s error).
    public typealias Corrupt = CorruptBytes

    // MARK: Traces

    public static func pack(_ traces: Traces) -> [UInt8] {
        blob(bytes: 4 + traces.segmentLengths.count * 4 + traces.points.count * 12) { w in
            w.u32(UInt32(traces.segmentLengths.count))
            for length in traces.segmentLengths { w.u32(UInt32(length)) }
            for p in traces.points {
                w.u32(p.x.bitPattern)
                w.u32(p.y.bitPattern)
                w.u32(p.t.bitPattern)
            }
        }
    }

    public static func unpackTraces(_ bytes: UnsafeRawBufferPointer) throws(Corrupt) -> Traces {
        var r = ByteReader(bytes, what: "traces")
        let segments = try r.u32()
        var lengths: [Int] = []
        lengths.reserveCapacity(segments)
        var total = 0
        for _ in 0..<segments {
            let n = try r.u32()
            lengths.append(n)
            total += n
        }
        guard r.remaining == total * 12 else { throw Corrupt(what: "traces") }
        // The length is checked: the points are read without a check per value.
        let points = (0..<total).map { i in
            let at = r.offset + i * 12
            return TracePoint(x: r.float(at: at), y: r.float(at: at + 4), t: r.float(at: at + 8))
        }
        return Traces(points: points, segmentLengths: lengths)
    }

    // MARK: Words

    public static func pack(_ words: [Word]) -> [UInt8] {
        blob(bytes: 4 + words.count * 20) { w in
            w.u32(UInt32(words.count))
            for word in words {
                w.u32(UInt32(truncatingIfNeeded: word.start))
                w.u32(UInt32(truncatingIfNeeded: word.length))
                w.u32(UInt32(word.status.rawValue))
                w.u32(word.startTime.bitPattern)
                w.u32(word.endTime.bitPattern)
            }
        }
    }

    public static func unpackWords(_ bytes: UnsafeRawBufferPointer) throws(Corrupt) -> [Word] {
        var r = ByteReader(bytes, what: "words")
        let count = try r.u32()
        guard r.remaining == count * 20 else { throw Corrupt(what: "words") }
        var words: [Word] = []
        words.reserveCapacity(count)
        for _ in 0..<count {
            let start = try r.u32(), length = try r.u32(), raw = try r.u32()
            guard raw < 256, let status = AlignmentStatus(rawValue: UInt8(raw)) else { throw Corrupt(what: "words") }
            words.append(Word(start: start, length: length, status: status, startTime: try r.f32(), endTime: try r.f32()))
        }
        return words
    }

    // MARK: Utterances

    public static func pack(_ utterances: [Utterance]) -> [UInt8] {
        blob(bytes: utterances.reduce(4) { $0 + 20 + $1.text.utf8.count }) { w in
            w.u32(UInt32(truncatingIfNeeded: utterances.count))
            for u in utterances {
                w.u64(u.start.bitPattern)
                w.u64(u.end.bitPattern)
                var text = u.text
                text.withUTF8 { utf8 in
                    w.u32(UInt32(truncatingIfNeeded: utf8.count))
                    w.bytes(utf8)
                }
            }
        }
    }

    /// A blob of exactly `bytes` bytes, written in place by `fill` (no growth, no zeroing).
    static func blob(bytes: Int, _ fill: (inout InPlaceByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes) { buffer, initialized in
            var writer = InPlaceByteWriter(raw: UnsafeMutableRawBufferPointer(buffer))
            fill(&writer)
            precondition(writer.at == bytes, "blob size computed wrongly")
            initialized = writer.at
        }
    }

    public static func unpackUtterances(_ bytes: UnsafeRawBufferPointer) throws(Corrupt) -> [Utterance] {
        var r = ByteReader(bytes, what: "utterances")
        let count = try r.u32()
        var result: [Utterance] = []
        for _ in 0..<count {
            let start = try r.f64(), end = try r.f64()
            let text = try r.utf8(count: try r.u32())
            result.append(Utterance(text: text, start: start, end: end))
        }
        guard r.remaining == 0 else { throw Corrupt(what: "utterances") }
        return result
    }
}
