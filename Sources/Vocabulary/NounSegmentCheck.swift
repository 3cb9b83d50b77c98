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
