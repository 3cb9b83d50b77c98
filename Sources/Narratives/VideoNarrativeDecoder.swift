import Glibc
import Text

/// Decodes one JSONL line of the Video Localized Narratives format into a `VideoNarrative`.
///
/// Schema (one object per line): `vidln_id` integer (≥ 0), `dataset_id` string, `video_id`
/// string, `keyframe_names` non-empty array of non-empty strings, `actor_narratives` array
/// (at most `VideoNarrative.actorLimit`) of objects with `actor_name` string, `caption`
/// string (non-empty), `time_alignment` array of `{referenced_word, referenced_word_start_idx,
/// referenced_word_end_idx, start_ms, end_ms}`, `traces` array of arrays of `{x, y,
/// time_ms_since_epoch, kf_idx}`, `recording_start_time_ms_since_epoch` integer; optional
/// `traces_start_time_ms_since_epoch` integer, `noun_segments` array of `[start, end]`,
/// `keyframe_selection_indices` array of integers, `recording_filename` string or null.
/// Unknown fields (the record's `annotator_id` among them) are validated as JSON and ignored.
///
/// Rejected, naming the field: a known field given twice, a wrong type, a missing required
/// field, a non-finite number, an empty caption or id, a caption span (time alignment or noun
/// segment) outside the caption or with end ≤ start, a `kf_idx` or keyframe selection index
/// outside `keyframe_names`, a trace time going backwards inside a segment.
///
/// Trace times become seconds from the actor's recording start, the clock of the word times:
/// t = (time_ms_since_epoch − recording_start_time_ms_since_epoch) / 1000. Caption offsets
/// are Unicode scalars (Python `str` indices, as the dataset was produced), the unit of `Tokenizer`.
public enum VideoNarrativeDecoder {
    /// Whether `line` may be a VidLN record: it holds the key `"actor_narratives"`, as written
    /// or, on a line with escapes, as a top-level key once decoded (`"actor\u005fnarratives"`
    /// is the same key to `decode`). Asked only of lines the LN decoder rejected, so LN
    /// decoding pays nothing for it.
    public static func looksLikeVideoNarrative(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let key: StaticString = "\"actor_narratives\""
        let n = key.utf8CodeUnitCount
        guard let base = line.baseAddress, line.count >= n else { return false }
        let k = key.utf8Start
        var i = 0
        while i + n <= line.count {
            if base[i] == k[0], base[i + 1] == k[1], memcmp(base + i, k, n) == 0 { return true }
            i += 1
        }
        guard memchr(base, Int32(UInt8(ascii: "\\")), line.count) != nil else { return false }
        var s = JSONScanner(line)
        guard s.nextKind() == .object else { return false }
        var found = false
        try? s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
            if key.equals("actor_narratives") { found = true }
            try s.skipValue()
        }
        return found
    }

    /// A whole VidLN line: one branch per top-level field in a single pass of the scanner, as
    /// `decodeActor` does for each actor, then the checks across fields.
    public static func decode(_ line: UnsafeBufferPointer<UInt8>) throws(JSONError) -> VideoNarrative {
        var s = JSONScanner(line)
        guard s.nextKind() == .object else {
            if s.peek() == nil { throw JSONError(offset: 0, reason: "empty line") }
            throw JSONError(offset: s.position, reason: "a narrative must be a JSON object")
        }
        var vidlnID: Int64?
        var datasetID: String?
        var videoID: String?
        var keyframeNames: [String]?
        var actors: [ActorDraft]?

        try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
            let at = s.position
            if key.equals("vidln_id") {
                try NarrativeDecoder.rejectRepeat(vidlnID != nil, at: at, field: "vidln_id")
                vidlnID = try NarrativeDecoder.integer(&s, "vidln_id")
            } else if key.equals("dataset_id") {
                try NarrativeDecoder.rejectRepeat(datasetID != nil, at: at, field: "dataset_id")
                datasetID = try NarrativeDecoder.string(&s, "dataset_id")
            } else if key.equals("video_id") {
                try NarrativeDecoder.rejectRepeat(videoID != nil, at: at, field: "video_id")
                videoID = try NarrativeDecoder.string(&s, "video_id")
            } else if key.equals("keyframe_names") {
                try NarrativeDecoder.rejectRepeat(keyframeNames != nil, at: at, field: "keyframe_names")
                try NarrativeDecoder.expect(.array, &s, "keyframe_names")
                var names: [String] = []
                try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
                    let name = try NarrativeDecoder.string(&s, "keyframe_names[\(i)]")
                    if name.isEmpty { throw JSONError(offset: s.position, reason: "must not be empty", field: "keyframe_names[\(i)]") }
                    names.append(name)
                }
                keyframeNames = names
            } else if key.equals("actor_narratives") {
                try NarrativeDecoder.rejectRepeat(actors != nil, at: at, field: "actor_narratives")
                try NarrativeDecoder.expect(.array, &s, "actor_narratives")
                var list: [ActorDraft] = []
                try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
                    do throws(JSONError) { list.append(try decodeActor(&s, "actor_narratives[\(i)]")) } catch {
                        throw NarrativeDecoder.labelled(error, "actor_narratives[\(i)]")
                    }
                }
                actors = list
            } else {
                try s.skipValue()
            }
        }
        try s.expectEnd()

        let end = s.position
        func missing(_ name: String) -> JSONError { JSONError(offset: end, reason: "required field is missing", field: name) }
        guard let vidlnID else { throw missing("vidln_id") }
        guard let datasetID else { throw missing("dataset_id") }
        guard let videoID else { throw missing("video_id") }
        guard let keyframeNames else { throw missing("keyframe_names") }
        guard let actors else { throw missing("actor_narratives") }
        if datasetID.isEmpty { throw JSONError(offset: end, reason: "must not be empty", field: "dataset_id") }
        if videoID.isEmpty { throw JSONError(offset: end, reason: "must not be empty", field: "video_id") }
        if keyframeNames.isEmpty { throw JSONError(offset: end, reason: "must not be empty", field: "keyframe_names") }
        if vidlnID < 0 || vidlnID > (1 << 53) / VideoNarrative.actorLimit {
            throw JSONError(offset: end, reason: "must be a non-negative integer below 2^53 / \(VideoNarrative.actorLimit)", field: "vidln_id")
        }
        if actors.count > Int(VideoNarrative.actorLimit) {
            throw JSONError(offset: end, reason: "more than \(VideoNarrative.actorLimit) actors", field: "actor_narratives")
        }
        for (a, actor) in actors.enumerated() {
            let name = "actor_narratives[\(a)]"
            for (j, k) in actor.value.keyframeIndices.enumerated() where k < 0 || Int(k) >= keyframeNames.count {
                throw JSONError(
                    offset: actor.pointOffsets[j],
                    reason: "kf_idx \(k) is outside keyframe_names (\(keyframeNames.count) names)",
                    field: "\(name).traces\(actor.pointPlaces[j]).kf_idx")
            }
            for (j, k) in actor.value.keyframeSelection.enumerated() where k < 0 || k >= keyframeNames.count {
                throw JSONError(
                    offset: actor.selectionOffset,
                    reason: "index \(k) is outside keyframe_names (\(keyframeNames.count) names)",
                    field: "\(name).keyframe_selection_indices[\(j)]")
            }
        }
        return VideoNarrative(
            vidlnID: vidlnID, datasetID: datasetID, videoID: videoID, keyframeNames: keyframeNames,
            actors: actors.map(\.value))
    }

    /// An actor as decoded, with where its keyframe references are for later range checks.
    struct ActorDraft {
        var value: ActorNarrative
        var pointOffsets: [Int]
        /// `[segment][point]` of each point, for error messages.
        var pointPlaces: [String]
        var selectionOffset: Int
    }

    /// One branch per field of an actor object, decoded in a single pass of the scanner (the
    /// ingest's fast path: no intermediate JSON tree), each field's validation beside it.
    static func decodeActor(_ s: inout JSONScanner, _ name: String) throws(JSONError) -> ActorDraft {
        try NarrativeDecoder.expect(.object, &s, name)
        let objectStart = s.position
        var actorName: String?
        var caption: String?
        var captionEnd = 0
        var alignment: [(ActorNarrative.TimedWord, Int)]?
        var rawTraces: (points: [(x: Double, y: Double, ms: Int64, kf: Int64, offset: Int)], lengths: [Int])?
        var nouns: [(Int, Int, Int)]?
        var selection: [Int]?
        var selectionOffset = 0
        var recordingStart: Int64?
        var tracesStart: Int64?
        var recordingFilename: String?
        var seenFilename = false

        try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
            let at = s.position
            if key.equals("actor_name") {
                try NarrativeDecoder.rejectRepeat(actorName != nil, at: at, field: "\(name).actor_name")
                actorName = try NarrativeDecoder.string(&s, "\(name).actor_name")
            } else if key.equals("caption") {
                try NarrativeDecoder.rejectRepeat(caption != nil, at: at, field: "\(name).caption")
                caption = try NarrativeDecoder.string(&s, "\(name).caption")
                captionEnd = s.position
            } else if key.equals("time_alignment") {
                try NarrativeDecoder.rejectRepeat(alignment != nil, at: at, field: "\(name).time_alignment")
                do throws(JSONError) { alignment = try decodeAlignment(&s, "\(name).time_alignment") } catch {
                    throw NarrativeDecoder.labelled(error, "\(name).time_alignment")
                }
            } else if key.equals("traces") {
                try NarrativeDecoder.rejectRepeat(rawTraces != nil, at: at, field: "\(name).traces")
                do throws(JSONError) { rawTraces = try decodeTraces(&s, "\(name).traces") } catch {
                    throw NarrativeDecoder.labelled(error, "\(name).traces")
                }
            } else if key.equals("noun_segments") {
                try NarrativeDecoder.rejectRepeat(nouns != nil, at: at, field: "\(name).noun_segments")
                let field = "\(name).noun_segments"
                try NarrativeDecoder.expect(.array, &s, field)
                var spans: [(Int, Int, Int)] = []
                try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
                    try NarrativeDecoder.expect(.array, &s, "\(field)[\(i)]")
                    let spanStart = s.position
                    var pair: [Int64] = []
                    try s.forEachElement { (s: inout JSONScanner, j: Int) throws(JSONError) in
                        pair.append(try NarrativeDecoder.integer(&s, "\(field)[\(i)][\(j)]"))
                    }
                    guard pair.count == 2 else {
                        throw JSONError(offset: spanStart, reason: "a noun segment is [start, end]", field: "\(field)[\(i)]")
                    }
                    spans.append((Int(clamping: pair[0]), Int(clamping: pair[1]), spanStart))
                }
                nouns = spans
            } else if key.equals("keyframe_selection_indices") {
                try NarrativeDecoder.rejectRepeat(selection != nil, at: at, field: "\(name).keyframe_selection_indices")
                selectionOffset = at
                try NarrativeDecoder.expect(.array, &s, "\(name).keyframe_selection_indices")
                var list: [Int] = []
                try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
                    list.append(Int(clamping: try NarrativeDecoder.integer(&s, "\(name).keyframe_selection_indices[\(i)]")))
                }
                selection = list
            } else if key.equals("recording_start_time_ms_since_epoch") {
                try NarrativeDecoder.rejectRepeat(recordingStart != nil, at: at, field: "\(name).recording_start_time_ms_since_epoch")
                recordingStart = try NarrativeDecoder.integer(&s, "\(name).recording_start_time_ms_since_epoch")
            } else if key.equals("traces_start_time_ms_since_epoch") {
                try NarrativeDecoder.rejectRepeat(tracesStart != nil, at: at, field: "\(name).traces_start_time_ms_since_epoch")
                tracesStart = try NarrativeDecoder.integer(&s, "\(name).traces_start_time_ms_since_epoch")
            } else if key.equals("recording_filename") {
                try NarrativeDecoder.rejectRepeat(seenFilename, at: at, field: "\(name).recording_filename")
                seenFilename = true
                recordingFilename = try s.consumeNull() ? nil : try NarrativeDecoder.string(&s, "\(name).recording_filename")
            } else {
                do throws(JSONError) { try s.skipValue() } catch { throw NarrativeDecoder.labelled(error, name) }
            }
        }
        func missing(_ field: String) -> JSONError {
            JSONError(offset: objectStart, reason: "required field is missing", field: "\(name).\(field)")
        }
        guard let actorName else { throw missing("actor_name") }
        guard let caption else { throw missing("caption") }
        guard let alignment else { throw missing("time_alignment") }
        guard let rawTraces else { throw missing("traces") }
        guard let recordingStart else { throw missing("recording_start_time_ms_since_epoch") }
        if caption.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw JSONError(offset: captionEnd, reason: "caption is empty", field: "\(name).caption")
        }
        let length = caption.unicodeScalars.count
        for (i, (word, offset)) in alignment.enumerated() where !(0 <= word.start && word.start < word.end && word.end <= length) {
            throw JSONError(
                offset: offset,
                reason: "span \(word.start)..<\(word.end) is not a non-empty span of the caption (\(length) characters)",
                field: "\(name).time_alignment[\(i)]")
        }
        for (i, (from, to, offset)) in (nouns ?? []).enumerated() where !(0 <= from && from < to && to <= length) {
            throw JSONError(
                offset: offset, reason: "span \(from)..<\(to) is not a non-empty span of the caption (\(length) characters)",
                field: "\(name).noun_segments[\(i)]")
        }

        // Trace times on the words' clock: milliseconds since the recording start, in seconds.
        var points: [TracePoint] = []
        points.reserveCapacity(rawTraces.points.count)
        var kf: [Int32] = []
        kf.reserveCapacity(rawTraces.points.count)
        var offsets: [Int] = []
        var places: [String] = []
        var segment = 0, index = 0
        for p in rawTraces.points {
            while index >= rawTraces.lengths[segment] {
                segment += 1
                index = 0
            }
            let t = Float((Double(p.ms) - Double(recordingStart)) / 1000)
            points.append(TracePoint(x: Float(p.x), y: Float(p.y), t: t))
            kf.append(Int32(clamping: p.kf))
            offsets.append(p.offset)
            places.append("[\(segment)][\(index)]")
            index += 1
        }
        let value = ActorNarrative(
            actorName: actorName, caption: caption, timeAlignment: alignment.map(\.0),
            traces: Traces(points: points, segmentLengths: rawTraces.lengths), keyframeIndices: kf,
            nounSegments: (nouns ?? []).map { $0.0..<$0.1 }, keyframeSelection: selection ?? [],
            recordingStartMS: recordingStart, tracesStartMS: tracesStart, recordingFilename: recordingFilename)
        return ActorDraft(value: value, pointOffsets: offsets, pointPlaces: places, selectionOffset: selectionOffset)
    }

    static func decodeAlignment(_ s: inout JSONScanner, _ name: String) throws(JSONError) -> [(ActorNarrative.TimedWord, Int)] {
        try NarrativeDecoder.expect(.array, &s, name)
        var result: [(ActorNarrative.TimedWord, Int)] = []
        try s.forEachElement { (s: inout JSONScanner, i: Int) throws(JSONError) in
            let field = "\(name)[\(i)]"
            try NarrativeDecoder.expect(.object, &s, field)
            let objectStart = s.position
            var word: String?
            var start: Int64?, end: Int64?
            var startMS: Double?, endMS: Double?
            try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
                let at = s.position
                if key.equals("referenced_word") {
                    try NarrativeDecoder.rejectRepeat(word != nil, at: at, field: "\(field).referenced_word")
                    word = try NarrativeDecoder.string(&s, "\(field).referenced_word")
                } else if key.equals("referenced_word_start_idx") {
                    try NarrativeDecoder.rejectRepeat(start != nil, at: at, field: "\(field).referenced_word_start_idx")
                    start = try NarrativeDecoder.integer(&s, "\(field).referenced_word_start_idx")
                } else if key.equals("referenced_word_end_idx") {
                    try NarrativeDecoder.rejectRepeat(end != nil, at: at, field: "\(field).referenced_word_end_idx")
                    end = try NarrativeDecoder.integer(&s, "\(field).referenced_word_end_idx")
                } else if key.equals("start_ms") {
                    try NarrativeDecoder.rejectRepeat(startMS != nil, at: at, field: "\(field).start_ms")
                    startMS = try NarrativeDecoder.double(&s, "\(field).start_ms")
                } else if key.equals("end_ms") {
                    try NarrativeDecoder.rejectRepeat(endMS != nil, at: at, field: "\(field).end_ms")
                    endMS = try NarrativeDecoder.double(&s, "\(field).end_ms")
                } else {
                    do throws(JSONError) { try s.skipValue() } catch { throw NarrativeDecoder.labelled(error, field) }
                }
            }
            func missing(_ key: String) -> JSONError {
                JSONError(offset: objectStart, reason: "required field is missing", field: "\(field).\(key)")
            }
            guard let word else { throw missing("referenced_word") }
            guard let start else { throw missing("referenced_word_start_idx") }
            guard let end else { throw missing("referenced_word_end_idx") }
            guard let startMS else { throw missing("start_ms") }
            guard let endMS else { throw missing("end_ms") }
            result.append((.init(word: word, start: Int(clamping: start), end: Int(clamping: end), startMS: startMS, endMS: endMS), objectStart))
        }
        return result
    }

    static func decodeTraces(
        _ s: inout JSONScanner, _ name: String
    ) throws(JSONError) -> (points: [(x: Double, y: Double, ms: Int64, kf: Int64, offset: Int)], lengths: [Int]) {
        try NarrativeDecoder.expect(.array, &s, name)
        var points: [(x: Double, y: Double, ms: Int64, kf: Int64, offset: Int)] = []
        var lengths: [Int] = []
        try s.forEachElement { (s: inout JSONScanner, segment: Int) throws(JSONError) in
            try NarrativeDecoder.expect(.array, &s, "\(name)[\(segment)]")
            let first = points.count
            try s.forEachElement { (s: inout JSONScanner, index: Int) throws(JSONError) in
                let field = "\(name)[\(segment)][\(index)]"
                try NarrativeDecoder.expect(.object, &s, field)
                let objectStart = s.position
                var x: Double?, y: Double?
                var ms: Int64?, kf: Int64?
                try s.forEachMember { (s: inout JSONScanner, key: JSONKey) throws(JSONError) in
                    let at = s.position
                    if key.isByte(UInt8(ascii: "x")) {
                        try NarrativeDecoder.rejectRepeat(x != nil, at: at, field: "\(field).x")
                        x = try coordinate(&s, "\(field).x")
                    } else if key.isByte(UInt8(ascii: "y")) {
                        try NarrativeDecoder.rejectRepeat(y != nil, at: at, field: "\(field).y")
                        y = try coordinate(&s, "\(field).y")
                    } else if key.equals("time_ms_since_epoch") {
                        try NarrativeDecoder.rejectRepeat(ms != nil, at: at, field: "\(field).time_ms_since_epoch")
                        ms = try NarrativeDecoder.integer(&s, "\(field).time_ms_since_epoch")
                    } else if key.equals("kf_idx") {
                        try NarrativeDecoder.rejectRepeat(kf != nil, at: at, field: "\(field).kf_idx")
                        kf = try NarrativeDecoder.integer(&s, "\(field).kf_idx")
                    } else {
                        do throws(JSONError) { try s.skipValue() } catch { throw NarrativeDecoder.labelled(error, field) }
                    }
                }
                func missing(_ key: String) -> JSONError {
                    JSONError(offset: objectStart, reason: "required field is missing", field: "\(field).\(key)")
                }
                guard let x else { throw missing("x") }
                guard let y else { throw missing("y") }
                guard let ms else { throw missing("time_ms_since_epoch") }
                guard let kf else { throw missing("kf_idx") }
                if points.count > first, let previous = points.last, ms < previous.ms {
                    throw JSONError(
                        offset: s.position,
                        reason: "time goes backwards within a trace segment (\(ms) after \(previous.ms))",
                        field: "\(field).time_ms_since_epoch")
                }
                points.append((x, y, ms, kf, objectStart))
            }
            lengths.append(points.count - first)
        }
        return (points, lengths)
    }

    // MARK: Values

    /// A trace coordinate: a number within the range of a 32-bit float.
    private static func coordinate(_ s: inout JSONScanner, _ name: @autoclosure () -> String) throws(JSONError) -> Double {
        let value = try NarrativeDecoder.double(&s, name())
        guard Float(value).isFinite else {
            throw JSONError(offset: s.position, reason: "number out of range for a 32-bit float", field: name())
        }
        return value
    }

}
