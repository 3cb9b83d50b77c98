/// One Localized Narrative: an annotator's spoken description of an image with the mouse
/// trace recorded while speaking, plus the word alignment derived from it at ingest.
public struct Narrative: Sendable, Equatable {
    /// The record's key: a narrative is unique per (dataset, image, annotator).
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public var datasetID: String
        public var imageID: String
        public var annotatorID: Int64

        public init(datasetID: String, imageID: String, annotatorID: Int64) {
            self.datasetID = datasetID
            self.imageID = imageID
            self.annotatorID = annotatorID
        }

        /// `dataset/image/annotator`; a Video LN keyframe's image id already leads with its
        /// dataset (`oops_train/<video>/<frame>`), which is not repeated.
        public var description: String {
            imageID.hasPrefix(datasetID + "/") ? "\(imageID)/\(annotatorID)" : "\(datasetID)/\(imageID)/\(annotatorID)"
        }
    }

    public var key: Key
    public var caption: String
    public var utterances: [Utterance]
    public var traces: Traces
    /// False when the record had no `traces` key at all (valid; seen in real COCO files).
    public var hasTraces: Bool
    public var voiceRecording: String?

    public init(
        key: Key, caption: String, utterances: [Utterance], traces: Traces, hasTraces: Bool,
        voiceRecording: String?
    ) {
        self.key = key
        self.caption = caption
        self.utterances = utterances
        self.traces = traces
        self.hasTraces = hasTraces
        self.voiceRecording = voiceRecording
    }
}

/// A chunk of the transcription with the time it was spoken, in seconds from the recording start.
public struct Utterance: Sendable, Equatable {
    public var text: String
    public var start: Double
    public var end: Double

    public init(text: String, start: Double, end: Double) {
        self.text = text
        self.start = start
        self.end = end
    }

    /// Real files carry utterances with start = end = 0, and occasionally end < start:
    /// they are valid records but say nothing about when the words were spoken.
    public var isTimed: Bool { end > start }
}

/// One mouse position: normalised image coordinates (origin top-left; the recording
/// includes a band around the image, so values slightly outside [0, 1] are normal) and
/// the time in seconds on the same clock as the utterances.
public struct TracePoint: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var t: Float

    public init(x: Float, y: Float, t: Float) {
        self.x = x
        self.y = y
        self.t = t
    }

    /// Whether the point lies on the image itself, [0, 1] × [0, 1].
    public var isOnImage: Bool { x >= 0 && x <= 1 && y >= 0 && y <= 1 }
}

/// A narrative's mouse traces: continuous segments, each time-ordered, stored flat.
public struct Traces: Sendable, Equatable {
    /// All points, segment after segment.
    public var points: [TracePoint]
    /// Number of points in each segment, in order; sums to `points.count`.
    public var segmentLengths: [Int]

    public init(points: [TracePoint] = [], segmentLengths: [Int] = []) {
        self.points = points
        self.segmentLengths = segmentLengths
    }

    /// Index ranges of the segments in `points`.
    public var segmentRanges: [Range<Int>] {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(segmentLengths.count)
        var start = 0
        for length in segmentLengths {
            ranges.append(start..<start + length)
            start += length
        }
        return ranges
    }
}

/// A caption word with its character span and, when aligned, the time it was spoken.
public struct Word: Sendable, Equatable {
    /// Offset of the first character in the caption, in Unicode scalars.
    public var start: Int
    /// Number of Unicode scalars.
    public var length: Int
    public var status: AlignmentStatus
    /// Time span in seconds; both 0 when the word is unaligned.
    public var startTime: Float
    public var endTime: Float

    public init(start: Int, length: Int, status: AlignmentStatus, startTime: Float = 0, endTime: Float = 0) {
        self.start = start
        self.length = length
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
    }

    public var isAligned: Bool { status.isAligned }
}

/// How a caption word was matched to the spoken utterances.
public enum AlignmentStatus: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Same word (ignoring case and punctuation) in the utterances.
    case exact = 0
    /// A close variant ("tree" / "trees", a one-letter typo).
    case fuzzy = 1
    /// A different word at the same place in the utterance sequence ("the" spoken as "a").
    case substituted = 2
    /// Unaligned: no utterance word corresponds to it.
    case notSpoken = 16
    /// Unaligned: its utterance has no usable time (start = end = 0, or end before start).
    case untimedUtterance = 17

    public var isAligned: Bool { rawValue < 16 }

    public var description: String {
        switch self {
        case .exact: "exact"
        case .fuzzy: "fuzzy"
        case .substituted: "substituted"
        case .notSpoken: "unaligned: not in the utterances"
        case .untimedUtterance: "unaligned: utterance has no time"
        }
    }
}
