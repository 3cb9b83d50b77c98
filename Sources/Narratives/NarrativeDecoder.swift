/// Decodes one JSONL line of the Localized Narratives format into a `Narrative`.
///
/// Schema (one object per line): `dataset_id` string, `image_id` string, `annotator_id`
/// integer, `caption` string (non-empty), `timed_caption` array of `{utterance, start_time,
/// end_time}`, optional `traces` array of arrays of `{x, y, t}`, optional `voice_recording`
/// string. Unknown fields are validated as JSON and ignored. A known field given twice,
/// a wrong type, a missing required field, a non-finite number, an empty caption, or a
/// trace time going backwards inside a segment make the line invalid.
public enum NarrativeDecoder {
    /// Decodes `line` (without its newline); errors carry the byte offset and field.
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Narrative {
        var s = JSONScanner(line)
        guard s.nextKind() == .object else {
            if s.peek() == nil { throw JSONError(offset: 0, reason: "empty line") }
            throw JSONError(offset: s.position, reason: "a narrative must be a JSON object")
        }
        var datasetID: String?
        var imageID: String?
        var annotatorID: Int64?
        var caption: String?
        var utterances: [Utterance]?
        var traces: Traces?
        var voiceRecording: String?
        var seenVoice = false

        try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
            let start = s.position
            func once<T>(_ value: T?, _ name: String) throws(JSONError) {
                try rejectRepeat(value != nil, at: start, field: name)
            }
            if key.equals("traces") {
                try once(traces, "traces")
                do throws(JSONError) { traces = try decodeTraces(&s) } catch { throw labelled(error, "traces") }
            } else if key.equals("timed_caption") {
                try once(utterances, "timed_caption")
                do throws(JSONError) { utterances = try decodeUtterances(&s) } catch { throw labelled(error, "timed_caption") }
            } else if key.equals("caption") {
                try once(caption, "caption")
                caption = try string(&s, "caption")
            } else if key.equals("image_id") {
                try once(imageID, "image_id")
                imageID = try string(&s, "image_id")
            } else if key.equals("dataset_id") {
                try once(datasetID, "dataset_id")
                datasetID = try string(&s, "dataset_id")
            } else if key.equals("annotator_id") {
                try once(annotatorID, "annotator_id")
                let id = try integer(&s, "annotator_id")
                guard id >= 0 else { throw JSONError(offset: start, reason: "annotator id \(id) is negative", field: "annotator_id") }
                annotatorID = id
            } else if key.equals("voice_recording") {
                try rejectRepeat(seenVoice, at: start, field: "voice_recording")
                seenVoice = true
                voiceRecording = try s.consumeNull() ? nil : try string(&s, "voice_recording")
            } else {
                try s.skipValue()
            }
        }
        try s.expectEnd()

        let end = s.position
        func missing(_ name: String) -> JSONError {
            JSONError(offset: end, reason: "required field is missing", field: name)
        }
        guard let datasetID else { throw missing("dataset_id") }
        guard let imageID else { throw missing("image_id") }
        guard let annotatorID else { throw missing("annotator_id") }
        guard let caption else { throw missing("caption") }
        guard let utterances else { throw missing("timed_caption") }
        if datasetID.isEmpty { throw JSONError(offset: end, reason: "must not be empty", field: "dataset_id") }
        if imageID.isEmpty { throw JSONError(offset: end, reason: "must not be empty", field: "image_id") }
        if caption.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw JSONError(offset: end, reason: "caption is empty", field: "caption")
        }
        return Narrative(
            key: .init(datasetID: datasetID, imageID: imageID, annotatorID: annotatorID),
            caption: caption, utterances: utterances, traces: traces ?? Traces(),
            hasTraces: traces != nil, voiceRecording: voiceRecording)
    }

    // MARK: Fields

    /// `error` with `name` as its field unless a deeper field is already named.
    static func labelled(_ error: JSONError, _ name: @autoclosure () -> String) -> JSONError {
        var e = error
        if e.field == nil {
            e.field = name()
        } else if let relative = e.field, relative.hasPrefix(".") {
            e.field = name() + relative
        }
        return e
    }

    // The typed reads below name the field in their errors; the VidLN decoder shares them.

    /// A known field may appear once per object.
    @inline(__always)
    static func rejectRepeat(_ repeated: Bool, at offset: Int, field: @autoclosure () -> String) throws(JSONError) {
        if repeated { throw JSONError(offset: offset, reason: "field given twice", field: field()) }
    }

    static func expect(_ kind: JSONKind, _ s: inout JSONScanner, _ name: @autoclosure () -> String) throws(JSONError) {
        let found = s.nextKind()
        guard found == kind else {
            let what = found.map(\.described) ?? "nothing"
            throw JSONError(offset: s.position, reason: "expected \(kind.described), found \(what)", field: name())
        }
    }

    static func string(_ s: inout JSONScanner, _ name: @autoclosure () -> String) throws(JSONError) -> String {
        try expect(.string, &s, name())
        do throws(JSONError) { return try s.readString() } catch { throw labelled(error, name()) }
    }

    static func double(_ s: inout JSONScanner, _ name: @autoclosure () -> String) throws(JSONError) -> Double {
        s.skipWhitespace()
        if let value = s.readPlainDecimal() { return value }  // the same value, read directly
        try expect(.number, &s, name())
        do throws(JSONError) { return try s.readDouble() } catch { throw labelled(error, name()) }
    }

    static func integer(_ s: inout JSONScanner, _ name: @autoclosure () -> String) throws(JSONError) -> Int64 {
        try expect(.number, &s, name())
        do throws(JSONError) { return try s.readInteger() } catch { throw labelled(error, name()) }
    }

    /// The largest time accepted, in seconds from the start of the recording (a day): a
    /// narrative lasts minutes, and a larger or negative time is a broken file, not data.
    public static let maximumSeconds = 86_400.0

    /// Rejects a time outside 0...`maximumSeconds` (NaN included).
    @inline(__always)
    static func checkTime(_ t: Double, at offset: Int, field: @autoclosure () -> String) throws(JSONError) {
        guard t >= 0, t <= maximumSeconds else {
            throw JSONError(
                offset: offset,
                reason: "time \(t) is outside 0...\(Int(maximumSeconds)) (seconds from the start of the recording)",
                field: field())
        }
    }

    private static func decodeUtterances(_ s: inout JSONScanner) throws(JSONError) -> [Utterance] {
        try expect(.array, &s, "timed_caption")
        var result: [Utterance] = []
        try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
            let at = s.position
            if let utterance = templateUtterance(&s) {
                try checkTime(utterance.start, at: at, field: "timed_caption[\(i)].start_time")
                try checkTime(utterance.end, at: at, field: "timed_caption[\(i)].end_time")
                result.append(utterance)
                return
            }
            try expect(.object, &s, "timed_caption[\(i)]")
            let objectStart = s.position
            var text: String?
            var start: Double?
            var end: Double?
            try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
                let at = s.position
                if key.equals("utterance") {
                    try rejectRepeat(text != nil, at: at, field: "timed_caption[\(i)].utterance")
                    text = try string(&s, "timed_caption[\(i)].utterance")
                } else if key.equals("start_time") {
                    try rejectRepeat(start != nil, at: at, field: "timed_caption[\(i)].start_time")
                    start = try double(&s, "timed_caption[\(i)].start_time")
                } else if key.equals("end_time") {
                    try rejectRepeat(end != nil, at: at, field: "timed_caption[\(i)].end_time")
                    end = try double(&s, "timed_caption[\(i)].end_time")
                } else {
                    do throws(JSONError) { try s.skipValue() } catch { throw labelled(error, "timed_caption[\(i)]") }
                }
            }
            guard let text else { throw JSONError(offset: objectStart, reason: "required field is missing", field: "timed_caption[\(i)].utterance") }
            guard let start else {
                throw JSONError(offset: objectStart, reason: "required field is missing", field: "timed_caption[\(i)].start_time")
            }
            guard let end else { throw JSONError(offset: objectStart, reason: "required field is missing", field: "timed_caption[\(i)].end_time") }
            try checkTime(start, at: objectStart, field: "timed_caption[\(i)].start_time")
            try checkTime(end, at: objectStart, field: "timed_caption[\(i)].end_time")
            result.append(Utterance(text: text, start: start, end: end))
        }
        return result
    }

    /// An utterance in the released files' exact layout, `{"utterance": "…", "start_time": n,
    /// "end_time": n}`, read without the per-member machinery. Anything else (other order or
    /// spacing, other number forms, invalid text) returns nil with the position unchanged and
    /// the general path reads it and reports errors; values are those it gives.
    @inline(__always)
    private static func templateUtterance(_ s: inout JSONScanner) -> Utterance? {
        let start = s.position
        s.skipWhitespace()
        guard s.consume("{\"utterance\": "), s.peek() == UInt8(ascii: "\""), let text = try? s.readString(),
            s.consume(", \"start_time\": "), let from = s.readPlainDecimal(),
            s.consume(", \"end_time\": "), let to = s.readPlainDecimal(), s.consume("}")
        else {
            s.position = start
            return nil
        }
        return Utterance(text: text, start: from, end: to)
    }

    /// The hot path (about 900 numbers a line): plain loops, no closures, no allocation per point.
    private static func decodeTraces(_ s: inout JSONScanner) throws(JSONError) -> Traces {
        try expect(.array, &s, "traces")
        var points: [TracePoint] = []
        points.reserveCapacity(512)
        var lengths: [Int] = []
        guard try s.enterArray() else { return Traces() }
        var segment = 0
        repeat {
            try expect(.array, &s, "traces[\(segment)]")
            let first = points.count
            if try s.enterArray() {
                var index = 0
                repeat {
                    let point: TracePoint
                    do throws(JSONError) {
                        point = try decodePoint(&s)
                    } catch {
                        throw labelled(error, "traces[\(segment)][\(index)]")
                    }
                    try checkTime(Double(point.t), at: s.position, field: "traces[\(segment)][\(index)].t")
                    if points.count > first, let previous = points.last, point.t < previous.t {
                        throw JSONError(
                            offset: s.position,
                            reason: "time goes backwards within a trace segment (\(point.t) after \(previous.t))",
                            field: "traces[\(segment)][\(index)].t")
                    }
                    points.append(point)
                    index += 1
                } while try s.afterElement()
            }
            lengths.append(points.count - first)
            segment += 1
        } while try s.afterElement()
        return Traces(points: points, segmentLengths: lengths)
    }

    /// One `{"x": …, "y": …, "t": …}` (any order, other keys ignored). Errors name the key
    /// relative to the point (`.x`); the caller prefixes the point's place.
    @inline(__always)
    private static func decodePoint(_ s: inout JSONScanner) throws(JSONError) -> TracePoint {
        if let point = templatePoint(&s) { return point }
        if let point = plainPoint(&s) { return point }
        guard s.nextKind() == .object else {
            let what = s.nextKind().map(\.described) ?? "nothing"
            throw JSONError(offset: s.position, reason: "expected an object, found \(what)")
        }
        let objectStart = s.position
        var x = Float.nan, y = Float.nan, t = Float.nan
        var seen: UInt8 = 0
        if try s.enterObject() {
            repeat {
                let key = try s.memberKey()
                let bit: UInt8
                if key.isByte(UInt8(ascii: "x")) {
                    bit = 1
                } else if key.isByte(UInt8(ascii: "y")) {
                    bit = 2
                } else if key.isByte(UInt8(ascii: "t")) {
                    bit = 4
                } else {
                    try s.skipValue()
                    continue
                }
                try rejectRepeat(seen & bit != 0, at: s.position, field: pointField(bit))
                seen |= bit
                let value: Double
                do throws(JSONError) {
                    guard s.nextKind() == .number else {
                        let what = s.nextKind().map(\.described) ?? "nothing"
                        throw JSONError(offset: s.position, reason: "expected a number, found \(what)")
                    }
                    value = try s.readDouble()
                } catch {
                    throw labelled(error, pointField(bit))
                }
                let narrow = Float(value)
                guard narrow.isFinite else {
                    throw JSONError(offset: s.position, reason: "number out of range for a 32-bit float", field: pointField(bit))
                }
                switch bit {
                case 1: x = narrow
                case 2: y = narrow
                default: t = narrow
                }
            } while try s.afterMember()
        }
        if seen != 7 {
            let missing: UInt8 = seen & 1 == 0 ? 1 : seen & 2 == 0 ? 2 : 4
            throw JSONError(offset: objectStart, reason: "required field is missing", field: pointField(missing))
        }
        return TracePoint(x: x, y: y, t: t)
    }

    /// The common case `{"x": n, "y": n, "t": n}`, keys in that order without escapes and
    /// numbers in plain decimal form, read without the general machinery. Anything else
    /// (including every invalid input) returns nil with the position unchanged, and the
    /// general path reads it and reports errors. Values are those the general path gives.
    @inline(__always)
    private static func plainPoint(_ s: inout JSONScanner) -> TracePoint? {
        let start = s.position
        @inline(__always) func byte(_ c: UInt8) -> Bool {
            s.skipWhitespace()
            guard s.position < s.end, s.base[s.position] == c else { return false }
            s.position += 1
            return true
        }
        @inline(__always) func key(_ c: UInt8) -> Bool {
            s.skipWhitespace()
            guard s.end - s.position >= 3, s.base[s.position] == 0x22, s.base[s.position + 1] == c,
                s.base[s.position + 2] == 0x22
            else { return false }
            s.position += 3
            return byte(UInt8(ascii: ":"))
        }
        @inline(__always) func number() -> Float? {
            s.skipWhitespace()
            guard let value = s.readPlainDecimal() else { return nil }
            let narrow = Float(value)
            return narrow.isFinite ? narrow : nil
        }
        guard byte(UInt8(ascii: "{")), key(UInt8(ascii: "x")), let x = number(), byte(UInt8(ascii: ",")),
            key(UInt8(ascii: "y")), let y = number(), byte(UInt8(ascii: ",")),
            key(UInt8(ascii: "t")), let t = number(), byte(UInt8(ascii: "}"))
        else {
            s.position = start
            return nil
        }
        return TracePoint(x: x, y: y, t: t)
    }

    /// The layout of the released files and of Python's `json.dumps`, byte for byte:
    /// `{"x": n, "y": n, "t": n}` with one space after each colon and comma. Each piece of
    /// punctuation is compared as one eight-byte word. Anything else returns nil with the
    /// position unchanged (`plainPoint` and the general path take it).
    @inline(__always)
    private static func templatePoint(_ s: inout JSONScanner) -> TracePoint? {
        let start = s.position
        s.skipWhitespace()
        // Little-endian words of `{"x": `, `, "y": ` and `, "t": `.
        let open: UInt64 = 0x0000_203A_2278_227B, y: UInt64 = 0x0020_3A22_7922_202C, t: UInt64 = 0x0020_3A22_7422_202C
        guard s.consume(word: open, count: 6), let px = s.readPlainFloat(),
            s.consume(word: y, count: 7), let py = s.readPlainFloat(),
            s.consume(word: t, count: 7), let pt = s.readPlainFloat(), s.consume("}")
        else {
            s.position = start
            return nil
        }
        return TracePoint(x: px, y: py, t: pt)
    }

    /// `.x`, `.y` or `.t`: completed to `traces[i][j].x` by `labelled` in `decodeTraces`.
    private static func pointField(_ bit: UInt8) -> String {
        bit == 1 ? ".x" : bit == 2 ? ".y" : ".t"
    }
}
