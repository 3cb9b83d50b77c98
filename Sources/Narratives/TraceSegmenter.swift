/// What to do with trace points that fall outside the image, [0, 1] × [0, 1].
///
/// The LN recording includes a band around the image, so such points are normal; they are
/// always stored as recorded, and this policy applies when word segments are derived.
public enum OutOfImagePolicy: String, Sendable, CaseIterable {
    /// Keep them as recorded.
    case keep
    /// Move them onto the nearest image edge.
    case clamp
    /// Leave them out of word segments.
    case drop
}

/// The trace points drawn while one word was spoken.
public struct WordSegment: Sendable, Equatable {
    public var points: [TracePoint]
    /// True when the span held too few recorded points and `points` were interpolated.
    public var interpolated: Bool

    /// Smallest rectangle holding the points, as (minX, minY, maxX, maxY); nil when empty.
    public var boundingBox: (minX: Float, minY: Float, maxX: Float, maxY: Float)? {
        guard let first = points.first else { return nil }
        var box = (minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        for p in points.dropFirst() {
            box.minX = min(box.minX, p.x)
            box.minY = min(box.minY, p.y)
            box.maxX = max(box.maxX, p.x)
            box.maxY = max(box.maxY, p.y)
        }
        return box
    }

    public static func == (a: WordSegment, b: WordSegment) -> Bool {
        a.points == b.points && a.interpolated == b.interpolated
    }
}

/// Derives each aligned word's trace segment: the points whose time lies in the word's
/// span widened by `margin` seconds on both sides, taken from every trace segment. When
/// fewer than `minimumPoints` fall inside, the trace is instead interpolated linearly at
/// `minimumPoints` evenly spaced times of the widened span, within the trace segments that
/// cover those times (none when no segment does: the word was spoken with the mouse still).
public struct TraceSegmenter: Sendable, Equatable {
    public var margin: Float
    public var minimumPoints: Int
    public var outOfImage: OutOfImagePolicy

    public static let standard = TraceSegmenter(margin: 0.2, minimumPoints: 3, outOfImage: .drop)

    public init(margin: Float, minimumPoints: Int, outOfImage: OutOfImagePolicy) {
        self.margin = margin
        self.minimumPoints = minimumPoints
        self.outOfImage = outOfImage
    }

    /// The segment of `word` in `traces`; empty for an unaligned word.
    public func segment(of word: Word, in traces: Traces) -> WordSegment {
        guard word.isAligned else { return WordSegment(points: [], interpolated: false) }
        let from = word.startTime - margin
        let to = word.endTime + margin
        var points: [TracePoint] = []
        let ranges = traces.segmentRanges
        for range in ranges {
            let lower = firstIndex(in: traces.points, range, notBefore: from)
            var i = lower
            while i < range.upperBound, traces.points[i].t <= to {
                points.append(traces.points[i])
                i += 1
            }
        }
        var interpolated = false
        if points.count < minimumPoints {
            interpolated = true
            points = interpolate(traces, ranges, from: from, to: to)
        }
        return WordSegment(points: applyPolicy(points), interpolated: interpolated)
    }

    /// Counts what `segment(of:in:)` would return for many words of one narrative without
    /// building the segments (the ingest counts). Built once per narrative: the point times
    /// and a running count of the points the out-of-image policy keeps. Words asked in time
    /// order (the usual caption order) move a cursor per trace segment forward, so a whole
    /// caption costs about one pass over the points; a word earlier than the previous one
    /// binary-searches instead.
    public struct Counter {
        let segmenter: TraceSegmenter
        let traces: Traces
        let ranges: [Range<Int>]
        let times: [Float]
        /// `kept[i]`: points before index i that the out-of-image policy keeps.
        let kept: [Int32]
        /// Per segment: the first index whose time is ≥ `lastFrom`.
        var cursors: [Int]
        var lastFrom = -Float.infinity

        /// The number of points `segment(of:in:)` returns for `word` and whether they are
        /// interpolated.
        public mutating func count(of word: Word) -> (count: Int, interpolated: Bool) {
            guard word.isAligned else { return (0, false) }
            let from = word.startTime - segmenter.margin, to = word.endTime + segmenter.margin
            let forward = from >= lastFrom
            lastFrom = from
            var recorded = 0, keptCount = 0
            for r in ranges.indices {
                let range = ranges[r]
                var lower: Int
                if forward {
                    lower = cursors[r]
                    while lower < range.upperBound, times[lower] < from { lower += 1 }
                } else {
                    lower = segmenter.firstIndex(in: traces.points, range, notBefore: from)
                }
                cursors[r] = lower
                var upper = lower
                while upper < range.upperBound, times[upper] <= to { upper += 1 }
                recorded += upper - lower
                keptCount += Int(kept[upper] - kept[lower])
            }
            if recorded >= segmenter.minimumPoints { return (keptCount, false) }
            return (segmenter.segment(of: word, in: traces).points.count, true)
        }
    }

    /// A counter over `traces`.
    public func counter(for traces: Traces) -> Counter {
        var kept = [Int32](repeating: 0, count: traces.points.count + 1)
        var times = [Float](repeating: 0, count: traces.points.count)
        var running: Int32 = 0
        for (i, p) in traces.points.enumerated() {
            if outOfImage != .drop || p.isOnImage { running += 1 }
            kept[i + 1] = running
            times[i] = p.t
        }
        let ranges = traces.segmentRanges
        return Counter(
            segmenter: self, traces: traces, ranges: ranges, times: times, kept: kept, cursors: ranges.map(\.lowerBound))
    }

    func applyPolicy(_ points: [TracePoint]) -> [TracePoint] {
        switch outOfImage {
        case .keep:
            return points
        case .drop:
            return points.filter(\.isOnImage)
        case .clamp:
            return points.map { TracePoint(x: min(max($0.x, 0), 1), y: min(max($0.y, 0), 1), t: $0.t) }
        }
    }

    /// First index in `range` whose time is ≥ `time` (points are time-ordered within a segment).
    func firstIndex(in points: [TracePoint], _ range: Range<Int>, notBefore time: Float) -> Int {
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if points[mid].t < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// `minimumPoints` points evenly spaced in time over the parts of [from, to] that trace
    /// segments cover, linearly interpolated between recorded points.
    func interpolate(_ traces: Traces, _ ranges: [Range<Int>], from: Float, to: Float) -> [TracePoint] {
        let p = traces.points
        // The covered parts of the span: (segment, start, end) with start ≤ end.
        var parts: [(range: Range<Int>, from: Float, to: Float)] = []
        for range in ranges where !range.isEmpty {
            let a = max(from, p[range.lowerBound].t), b = min(to, p[range.upperBound - 1].t)
            if a <= b { parts.append((range, a, b)) }
        }
        guard !parts.isEmpty else { return [] }
        let total = parts.reduce(Float(0)) { $0 + ($1.to - $1.from) }
        let count = max(minimumPoints, 1)
        var result: [TracePoint] = []
        result.reserveCapacity(count)
        for k in 0..<count {
            // Position k along the covered parts laid end to end.
            var along = count == 1 ? total / 2 : total * Float(k) / Float(count - 1)
            var chosen = parts[parts.count - 1]
            var time = chosen.to
            for part in parts {
                let length = part.to - part.from
                if along <= length {
                    chosen = part
                    time = part.from + along
                    break
                }
                along -= length
            }
            let after = firstIndex(in: p, chosen.range, notBefore: time)
            if after == chosen.range.lowerBound || after == chosen.range.upperBound || p[after].t == time {
                let q = p[min(after, chosen.range.upperBound - 1)]
                result.append(TracePoint(x: q.x, y: q.y, t: time))
            } else {
                let a = p[after - 1], b = p[after]
                let w = (time - a.t) / (b.t - a.t)
                result.append(TracePoint(x: a.x + (b.x - a.x) * w, y: a.y + (b.y - a.y) * w, t: time))
            }
        }
        return result
    }
}
