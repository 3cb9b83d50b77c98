import Testing

@testable import Narratives

/// Inputs found by the `script/fuzz video` harness's checks, kept so the fixes stay fixed.
@Suite struct VideoDetectionFuzzRegressionTests {
    /// A small VidLN record whose `actor_narratives` key is written with an escape.
    let escapedKey = #"""
        {"vidln_id": 7, "dataset_id": "OVIS_train", "video_id": "c1a40349", "keyframe_names": ["img_0000005"], "actor\u005fnarratives": [{"actor_name": "Dog", "caption": "A dog.", "time_alignment": [{"referenced_word": "dog", "referenced_word_start_idx": 2, "referenced_word_end_idx": 5, "start_ms": 100, "end_ms": 400}], "traces": [[{"x": 0.5, "y": 0.5, "time_ms_since_epoch": 1000200, "kf_idx": 0}]], "recording_start_time_ms_since_epoch": 1000000}]}
        """#

    func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var copy = text
        return copy.withUTF8(body)
    }

    /// The decoder reads keys decoded, so ingest's detector must too: the line was rejected
    /// with the LN decoder's error although it is a valid VidLN record.
    @Test func escapedActorNarrativesKeyIsDetected() throws {
        let video = try withBytes(escapedKey) { bytes in Result { () throws(JSONError) in try VideoNarrativeDecoder.decode(bytes) } }.get()
        #expect(video.actors.map(\.actorName) == ["Dog"])
        #expect(withBytes(escapedKey) { VideoNarrativeDecoder.looksLikeVideoNarrative($0) })
    }

    @Test func escapesElsewhereDoNotMakeAVideoLine() {
        #expect(!withBytes(#"{"caption": "a \"quoted\" word", "actor": 1}"#) { VideoNarrativeDecoder.looksLikeVideoNarrative($0) })
        // Only a top-level key counts once decoded (the raw key anywhere still does, as before).
        #expect(!withBytes(#"{"x": {"actor\u005fnarratives": []}}"#) { VideoNarrativeDecoder.looksLikeVideoNarrative($0) })
        #expect(!withBytes(#"{"actor\u005fnarratives" [}"#) { VideoNarrativeDecoder.looksLikeVideoNarrative($0) })
    }
}
