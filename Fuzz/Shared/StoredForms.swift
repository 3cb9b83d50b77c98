// What ingest derives from a decoded narrative (Ingester.record): trace segment counts under
// several segmenter settings and the packed blobs, each checked against a slower reference.
import Narratives

/// The settings ingest accepts span these: the default, and the extremes of each option.
let segmenters = [
    TraceSegmenter.standard,
    TraceSegmenter(margin: 0, minimumPoints: 1, outOfImage: .keep),
    TraceSegmenter(margin: 10, minimumPoints: 7, outOfImage: .clamp),
]

func sameBits(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern }

func exerciseStoredForms(_ narrative: Narrative, words: [Word]) {
    let traces = narrative.traces
    let scalars = narrative.caption.unicodeScalars.count
    for word in words {
        check(word.start >= 0 && word.length > 0 && word.start + word.length <= scalars, "word span outside the caption")
    }
    for segmenter in segmenters {
        // The ingest counter must agree with the segment it stands for.
        var counter = segmenter.counter(for: traces)
        for word in words where word.isAligned {
            let counted = counter.count(of: word)
            let segment = segmenter.segment(of: word, in: traces)
            check(
                counted.count == segment.points.count && counted.interpolated == segment.interpolated,
                "counter says \(counted) for \(word), segment has \(segment.points.count) (interpolated \(segment.interpolated))")
        }
    }

    let packedTraces = Packing.pack(traces)
    let tracesBack = packedTraces.withUnsafeBytes { try? Packing.unpackTraces($0) }
    check(tracesBack?.segmentLengths == traces.segmentLengths, "traces blob does not read back")
    if let back = tracesBack {
        for (a, b) in zip(back.points, traces.points) {
            check(sameBits(a.x, b.x) && sameBits(a.y, b.y) && sameBits(a.t, b.t), "trace point changed by packing")
        }
    }
    let packedWords = Packing.pack(words)
    let wordsBack = packedWords.withUnsafeBytes { try? Packing.unpackWords($0) }
    check(wordsBack?.count == words.count, "words blob does not read back")
    for (a, b) in zip(wordsBack ?? [], words) {
        check(
            a.start == b.start && a.length == b.length && a.status == b.status
                && sameBits(a.startTime, b.startTime) && sameBits(a.endTime, b.endTime), "word changed by packing")
    }
    let packedUtterances = Packing.pack(narrative.utterances)
    let utterancesBack = packedUtterances.withUnsafeBytes { try? Packing.unpackUtterances($0) }
    check(utterancesBack == narrative.utterances, "utterances blob does not read back")
}
