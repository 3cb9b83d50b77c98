// The same JSON line in other layouts, for decoders with fast paths for the released files'
// exact bytes: each layout must decode to the same values, bit for bit.
import Narratives

/// How `relaidOut` rewrites a line, outside strings only (the meaning stays the same).
enum Layout: CaseIterable {
    /// A space after every `{`: the byte templates no longer match, the plain readers take it.
    case spaceAfterBrace
    /// `e0` after every number with a fraction: the plain-decimal readers no longer match,
    /// the general number reader takes it.
    case exponent
}

func relaidOut(_ line: UnsafeBufferPointer<UInt8>, _ layout: Layout) -> [UInt8] {
    func isNumberByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }
    var out: [UInt8] = []
    out.reserveCapacity(line.count + line.count / 2)
    var inString = false, escaped = false
    var i = 0
    while i < line.count {
        let c = line[i]
        if inString {
            if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
            out.append(c)
            i += 1
        } else if c == UInt8(ascii: "\"") {
            inString = true
            out.append(c)
            i += 1
        } else if c == UInt8(ascii: "{") && layout == .spaceAfterBrace {
            out.append(c)
            out.append(UInt8(ascii: " "))
            i += 1
        } else if layout == .exponent && (c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39)) {
            var j = i, fraction = false, exponent = false
            while j < line.count, isNumberByte(line[j]) {
                if line[j] == UInt8(ascii: ".") { fraction = true }
                if line[j] == UInt8(ascii: "e") || line[j] == UInt8(ascii: "E") { exponent = true }
                j += 1
            }
            out.append(contentsOf: line[i..<j])
            if fraction && !exponent { out.append(contentsOf: "e0".utf8) }
            i = j
        } else {
            out.append(c)
            i += 1
        }
    }
    return out
}

/// Decodes `line` relaid out in every layout with `decode`: a layout the decoder rejects
/// fails the run; `compare` gets each layout's result, to check it against the original's.
func forEachLayout<Value>(
    of line: UnsafeBufferPointer<UInt8>, decode: (UnsafeBufferPointer<UInt8>) throws(JSONError) -> Value,
    _ compare: (Layout, Value) -> Void
) {
    for layout in Layout.allCases {
        var other = relaidOut(line, layout)
        let decoded = other.withUnsafeMutableBufferPointer { b in
            Result { () throws(JSONError) in try decode(UnsafeBufferPointer(b)) }
        }
        switch decoded {
        case .failure(let error): fail("\(layout) layout rejected: \(error)")
        case .success(let value): compare(layout, value)
        }
    }
}

/// Where `a` and `b` differ (floats compared by bits), or nil.
func difference(_ a: Narrative, _ b: Narrative) -> String? {
    if a.key != b.key || a.caption != b.caption || a.hasTraces != b.hasTraces || a.voiceRecording != b.voiceRecording {
        return "key, caption or voice recording"
    }
    if a.utterances.count != b.utterances.count { return "utterance count" }
    for (i, (u, v)) in zip(a.utterances, b.utterances).enumerated()
    where u.text != v.text || u.start.bitPattern != v.start.bitPattern || u.end.bitPattern != v.end.bitPattern {
        return "utterance \(i): \(u) vs \(v)"
    }
    return difference(a.traces, b.traces)
}

func difference(_ a: Traces, _ b: Traces) -> String? {
    if a.segmentLengths != b.segmentLengths { return "segment lengths" }
    for (i, (p, q)) in zip(a.points, b.points).enumerated()
    where p.x.bitPattern != q.x.bitPattern || p.y.bitPattern != q.y.bitPattern || p.t.bitPattern != q.t.bitPattern {
        return "trace point \(i): \(p) vs \(q)"
    }
    return nil
}
