import Support

/// Which shard of a sharded run an input line belongs to.
///
/// A shard is the set of images whose key hashes into bucket k of N, so every narrative of an
/// image lands in one shard and the per-image stages never need another. The key is read by
/// the same decoders ingest uses, so a line goes where ingest puts its narratives:
/// - an LN line: its `image_id`;
/// - a VidLN line: `<dataset_id>/<video_id>`, the prefix of every keyframe image id it
///   yields (`VideoNarrative`), so all of a video's keyframes share a shard;
/// - a line neither decoder accepts has no image: ingest rejects it wherever it goes, and it
///   goes to the bucket of its own bytes, which spreads bad lines as evenly as good ones.
///
/// Buckets come from `StableHash` (FNV-1a-64 then the SplitMix64 finaliser), whose bits never
/// change: the same key gets the same shard on every machine, run and version.
public struct Sharding: Sendable, Equatable {
    public let count: Int

    public init(count: Int) {
        precondition(count >= 1, "a sharding has at least one shard")
        self.count = count
    }

    /// The image key of a line, or nil when neither decoder accepts it.
    public static func key(ofLine line: UnsafeBufferPointer<UInt8>) -> String? {
        if let narrative = try? NarrativeDecoder.decode(line) { return narrative.key.imageID }
        guard VideoNarrativeDecoder.looksLikeVideoNarrative(line), let video = try? VideoNarrativeDecoder.decode(line) else {
            return nil
        }
        return video.datasetID + "/" + video.videoID
    }

    /// The shard of an image key.
    public func shard(ofKey key: String) -> Int { bucket(StableHash.fnv1a(key)) }

    /// The shard of a line: its image key's, else its bytes'.
    public func shard(ofLine line: UnsafeBufferPointer<UInt8>) -> Int {
        if let key = Self.key(ofLine: line) { return shard(ofKey: key) }
        return bucket(StableHash.fnv1a(line))
    }

    private func bucket(_ hash: UInt64) -> Int { Int(StableHash.mix(hash) % UInt64(count)) }
}
