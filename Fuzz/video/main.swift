// libFuzzer target: one JSONL line through the Video Localized Narratives path of
// `pointillist ingest` (looksLikeVideoNarrative, VideoNarrativeDecoder.decode, one narrative
// per actor and keyframe, trace segment counts, packed blobs) and `vocab check-nouns`
// (the decoder alone); the same line in other layouts must decode alike. Built by
// script/fuzz with Fuzz/Shared/*.swift.
import Narratives

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVideoNarrativeLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = UnsafeBufferPointer(start: data, count: size)
    let detected = VideoNarrativeDecoder.looksLikeVideoNarrative(line)
    let video: VideoNarrative
    do {
        video = try VideoNarrativeDecoder.decode(line)
    } catch {
        check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside the line (\(size) bytes)")
        return 0
    }
    do { try JSONScanner.validate(line) } catch { fail("decoded a line the JSON scanner rejects: \(error)") }
    // Ingest asks the VidLN decoder only about lines the detector picks.
    check(detected, "a line the VidLN decoder reads is not detected as VidLN, so ingest rejects it")
    check(!video.keyframeNames.isEmpty && video.actors.count <= Int(VideoNarrative.actorLimit), "record limits not enforced")
    forEachLayout(of: line, decode: { (b) throws(JSONError) in try VideoNarrativeDecoder.decode(b) }) { layout, v in
        check(v.actors.count == video.actors.count, "\(layout) layout: actor count")
        for (a, b) in zip(video.actors, v.actors) {
            check(a.timeAlignment == b.timeAlignment && a.keyframeIndices == b.keyframeIndices, "\(layout) layout: words or keyframes")
            if let d = difference(a.traces, b.traces) { fail("\(layout) layout decodes differently: \(d)") }
        }
    }
    for actor in video.actors {
        check(actor.keyframeIndices.count == actor.traces.points.count, "one kf_idx per trace point")
        check(actor.traces.segmentLengths.reduce(0, +) == actor.traces.points.count, "segment lengths do not add up")
        let length = actor.caption.unicodeScalars.count
        for w in actor.timeAlignment { check(0 <= w.start && w.start < w.end && w.end <= length, "span outside the caption") }
        for n in actor.nounSegments { check(0 <= n.lowerBound && n.upperBound <= length, "noun span outside the caption") }
    }
    for (narrative, words) in video.keyframeNarratives() {
        check(narrative.traces.segmentLengths.allSatisfy { $0 > 0 }, "empty keyframe segment")
        exerciseStoredForms(narrative, words: words)
    }
    return 0
}
