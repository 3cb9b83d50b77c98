// libFuzzer target: one JSONL line through what `pointillist ingest` does with an image
// Localized Narratives line (Ingester.decodeLine): decode, align words, count trace segments,
// pack the blobs; the same line in other layouts must decode alike. Built by script/fuzz
// with Fuzz/Shared/*.swift.
import Narratives

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNarrativeLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = UnsafeBufferPointer(start: data, count: size)
    let narrative: Narrative
    do {
        narrative = try NarrativeDecoder.decode(line)
    } catch {
        check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside the line (\(size) bytes)")
        return 0
    }
    // The decoder accepts only JSON (its fast paths included).
    do { try JSONScanner.validate(line) } catch { fail("decoded a line the JSON scanner rejects: \(error)") }
    check(!narrative.key.datasetID.isEmpty && !narrative.key.imageID.isEmpty, "empty id accepted")
    check(narrative.traces.segmentLengths.reduce(0, +) == narrative.traces.points.count, "segment lengths do not add up")
    for range in narrative.traces.segmentRanges where !range.isEmpty {
        for i in range.dropFirst() {
            check(narrative.traces.points[i - 1].t <= narrative.traces.points[i].t, "trace time goes backwards at \(i)")
        }
    }
    for p in narrative.traces.points { check(p.x.isFinite && p.y.isFinite && p.t.isFinite, "non-finite trace value") }
    for u in narrative.utterances { check(u.start.isFinite && u.end.isFinite, "non-finite utterance time") }

    // The fast paths (byte templates, plain decimals) give what the general readers give.
    forEachLayout(of: line, decode: { (b) throws(JSONError) in try NarrativeDecoder.decode(b) }) { layout, n in
        if let d = difference(narrative, n) { fail("\(layout) layout decodes differently: \(d)") }
    }

    let words = WordAligner.align(caption: narrative.caption, utterances: narrative.utterances)
    exerciseStoredForms(narrative, words: words)
    return 0
}
