import Narratives
import Support

/// Precision and recall of mention spans against human noun spans (VidLN `noun_segments`).
///
/// Matching rule: a mention and a noun segment match when their caption spans (half-open,
/// in Unicode scalars) overlap by at least one character. Precision = mentions matching some
/// segment / mentions; recall = segments matched by some mention / segments. Overlap rather
/// than equality, because a mention is a head phrase ("light pole") where a segment may be
/// one word ("pole"), or the reverse ("brown tiger" as one segment).
public struct SpanMatch: Sendable, Equatable {
    public var mentions = 0
    public var matchedMentions = 0
    public var segments = 0
    public var matchedSegments = 0

    public init() {}

    public var precision: Double { mentions == 0 ? 0 : Double(matchedMentions) / Double(mentions) }
    public var recall: Double { segments == 0 ? 0 : Double(matchedSegments) / Double(segments) }

    /// Whether two half-open spans share a character.
    public static func overlap(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.lowerBound < b.upperBound && b.lowerBound < a.upperBound
    }

    /// The counts of one caption.
    public static func of(mentions: [Range<Int>], segments: [Range<Int>]) -> SpanMatch {
        var m = SpanMatch()
        m.mentions = mentions.count
        m.segments = segments.count
        m.matchedMentions = mentions.filter { x in segments.contains { overlap(x, $0) } }.count
        m.matchedSegments = segments.filter { s in mentions.contains { overlap($0, s) } }.count
        return m
    }

    public static func + (a: SpanMatch, b: SpanMatch) -> SpanMatch {
        var r = a
        r.mentions += b.mentions
        r.matchedMentions += b.matchedMentions
        r.segments += b.segments
        r.matchedSegments += b.matchedSegments
        return r
    }

    public static func += (a: inout SpanMatch, b: SpanMatch) { a = a + b }
}

/// A mention that matches no noun segment (`extra`, with the extractor's verdict code), or a
/// noun segment that no candidate matches (`missed`).
public struct NounSegmentDifference: Sendable, Equatable {
    public enum Kind: String, Sendable { case extra, missed }
    public var kind: Kind
    public var videoID: String
    public var actor: String
    public var text: String
    public var verdict: String?
}

/// What `NounSegmentCheck.run` measured.
public struct NounSegmentReport: Sendable {
    public var captions = 0
    /// Every candidate the extractor yields (any verdict), and the kept mentions only.
    public var all = SpanMatch()
    public var kept = SpanMatch()
    /// Lines that are not valid VidLN: where, and why.
    public var skipped: [(path: String, line: Int, reason: String)] = []
    /// With `differences: true`, every extra mention and missed segment, in file order.
    public var differences: [NounSegmentDifference] = []
}

/// Runs the mention extractor on every actor caption of Video Localized Narratives files and
/// compares its candidates with the human noun spans (`SpanMatch`).
public enum NounSegmentCheck {
    public static func run(files: [SourceFile], extractor: MentionExtractor, differences: Bool) throws(PointillistError) -> NounSegmentReport {
        var report = NounSegmentReport()
        for file in files {
            let reader = try LineReader(file)
            while let batch = reader.next(maxBytes: 4 << 20, maxLines: .max) {
                for (i, range) in batch.lines.enumerated() {
                    let decoded = batch.bytes.withUnsafeBufferPointer { bytes in
                        Result { () throws(JSONError) in try VideoNarrativeDecoder.decode(UnsafeBufferPointer(rebasing: bytes[range])) }
                    }
                    switch decoded {
                    case .success(let video): check(video, extractor: extractor, differences: differences, into: &report)
                    case .failure(let error):
                        if !batch.bytes.isBlank(range) {
                            report.skipped.append((file.path, batch.firstLineNumber + i, "\(error.field ?? "") \(error.reason)"))
                        }
                    }
                }
            }
        }
        return report
    }

    static func check(_ video: VideoNarrative, extractor: MentionExtractor, differences: Bool, into report: inout NounSegmentReport) {
        for actor in video.actors {
            report.captions += 1
            let candidates = extractor.candidates(in: actor.caption)
            let spans = candidates.map { $0.start..<($0.start + $0.length) }
            let keptSpans = candidates.filter(\.verdict.isKept).map { $0.start..<($0.start + $0.length) }
            report.all += SpanMatch.of(mentions: spans, segments: actor.nounSegments)
            report.kept += SpanMatch.of(mentions: keptSpans, segments: actor.nounSegments)
            guard differences else { continue }
            let scalars = Array(actor.caption.unicodeScalars)
            func text(_ r: Range<Int>) -> String {
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[max(0, r.lowerBound)..<min(scalars.count, r.upperBound)])
                return String(v)
            }
            for (c, span) in zip(candidates, spans) where !actor.nounSegments.contains(where: { SpanMatch.overlap(span, $0) }) {
                report.differences.append(
                    NounSegmentDifference(kind: .extra, videoID: video.videoID, actor: actor.actorName, text: text(span), verdict: c.verdict.code))
            }
            for segment in actor.nounSegments where !spans.contains(where: { SpanMatch.overlap($0, segment) }) {
                report.differences.append(
                    NounSegmentDifference(kind: .missed, videoID: video.videoID, actor: actor.actorName, text: text(segment), verdict: nil))
            }
        }
    }
}
