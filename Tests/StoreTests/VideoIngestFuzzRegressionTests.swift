import Foundation
import Narratives
import Pipeline
import Support
import Testing

@testable import Store

/// Found by the `script/fuzz video` harness's checks: ingest end to end.
@Suite struct VideoIngestFuzzRegressionTests {
    /// A VidLN line whose `actor_narratives` key is written with an escape was rejected with
    /// the LN decoder's error; it is the same record as with the key written plainly.
    @Test func aVideoLineWithAnEscapedKeyIsStored() throws {
        let dir = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("escaped.jsonl")
        try Fixture.write(
            [
                #"{"vidln_id": 7, "dataset_id": "OVIS_train", "video_id": "c1a40349", "keyframe_names": ["img_0000005"], "actor\u005fnarratives": [{"actor_name": "Dog", "caption": "A dog.", "time_alignment": [{"referenced_word": "dog", "referenced_word_start_idx": 2, "referenced_word_end_idx": 5, "start_ms": 100, "end_ms": 400}], "traces": [[{"x": 0.5, "y": 0.5, "time_ms_since_epoch": 1000200, "kf_idx": 0}]], "recording_start_time_ms_since_epoch": 1000000}]}"#
            ], to: file)
        let db = dir.appendingPathComponent("c.sqlite")
        let c = try Ingester(corpus: try Corpus(path: db.path)).run(try FileSystem.expandInputs([file.path])).counts
        #expect(c.read == 1 && c.stored == 1 && c.rejected == 0)
        #expect(c.videoLines == 1 && c.narratives == 1)
        let stored = try Corpus(path: db.path).narratives(imageID: "OVIS_train/c1a40349/img_0000005")
        #expect(stored.map(\.narrative.key.annotatorID) == [7000])
    }
}
