import Text

/// One Video Localized Narratives (VidLN) record: a video's keyframes and, per actor, a
/// spoken caption with word times and mouse traces drawn over the keyframes.
///
/// Times are kept as recorded (milliseconds; word times relative to the recording start,
/// trace times since the epoch). `keyframeNarratives()` turns the record into image
/// narratives, one per (actor, keyframe traced over), on the LN clock.
public struct VideoNarrative: Sendable, Equatable {
    public var vidlnID: Int64
    public var datasetID: String
    public var videoID: String
    /// Frame names without extension, in keyframe order; `kf_idx` indexes this list.
    public var keyframeNames: [String]
    public var actors: [ActorNarrative]

    public init(vidlnID: Int64, datasetID: String, videoID: String, keyframeNames: [String], actors: [ActorNarrative]) {
        self.vidlnID = vidlnID
        self.datasetID = datasetID
        self.videoID = videoID
        self.keyframeNames = keyframeNames
        self.actors = actors
    }

    /// Actors per record at most: the annotator id is `vidln_id × actorLimit + actor index`.
    public static let actorLimit: Int64 = 1000

    /// The image id of keyframe `index`: `<dataset_id>/<video_id>/<frame name>`, so that
    /// `frames/` + id + `.jpg` is the keyframe file in the VidLN layout.
    public func imageID(keyframe index: Int) -> String {
        "\(datasetID)/\(videoID)/\(keyframeNames[index])"
    }

    /// The stable annotator id of actor `index` (unique within a video's keyframe images).
    public func annotatorID(actor index: Int) -> Int64 {
        vidlnID * VideoNarrative.actorLimit + Int64(index)
    }

    /// The keyframes actor `index` is stored on: those its trace points lie on, ascending;
    /// for an actor without trace points, its `keyframe_selection_indices`.
    public func keyframes(actor index: Int) -> [Int] {
        let actor = actors[index]
        var seen = Set<Int>()
        for k in actor.keyframeIndices { seen.insert(Int(k)) }
        if seen.isEmpty { seen.formUnion(actor.keyframeSelection) }
        return seen.sorted()
    }

    /// Every actor narrative on every keyframe it is stored on, with its words aligned from
    /// `time_alignment`, in actor then keyframe order.
    public func keyframeNarratives() -> [(narrative: Narrative, words: [Word])] {
        var result: [(narrative: Narrative, words: [Word])] = []
        for (a, actor) in actors.enumerated() {
            let words = actor.alignedWords()
            let utterances = actor.utterances
            let traced = !actor.keyframeIndices.isEmpty
            for k in keyframes(actor: a) {
                let narrative = Narrative(
                    key: .init(datasetID: datasetID, imageID: imageID(keyframe: k), annotatorID: annotatorID(actor: a)),
                    caption: actor.caption, utterances: utterances,
                    traces: traced ? actor.traces(keyframe: k) : Traces(), hasTraces: traced,
                    voiceRecording: actor.recordingFilename)
                result.append((narrative, words))
            }
        }
        return result
    }
}

/// One actor's narrative within a VidLN record.
public struct ActorNarrative: Sendable, Equatable {
    /// One `time_alignment` entry: a spoken word, its caption span and its time.
    public struct TimedWord: Sendable, Equatable {
        public var word: String
        /// Caption span in Unicode scalars (`referenced_word_start_idx` ..< `_end_idx`).
        public var start: Int
        public var end: Int
        /// Milliseconds from the recording start.
        public var startMS: Double
        public var endMS: Double

        public init(word: String, start: Int, end: Int, startMS: Double, endMS: Double) {
            self.word = word
            self.start = start
            self.end = end
            self.startMS = startMS
            self.endMS = endMS
        }
    }

    public var actorName: String
    public var caption: String
    public var timeAlignment: [TimedWord]
    /// Trace points with `t` in seconds from the recording start (see `recordingStartMS`).
    public var traces: Traces
    /// `kf_idx` of each point of `traces.points`.
    public var keyframeIndices: [Int32]
    /// Human noun spans in the caption, in Unicode scalars.
    public var nounSegments: [Range<Int>]
    public var keyframeSelection: [Int]
    public var recordingStartMS: Int64
    public var tracesStartMS: Int64?
    public var recordingFilename: String?

    public init(
        actorName: String, caption: String, timeAlignment: [TimedWord], traces: Traces, keyframeIndices: [Int32],
        nounSegments: [Range<Int>], keyframeSelection: [Int], recordingStartMS: Int64, tracesStartMS: Int64?,
        recordingFilename: String?
    ) {
        self.actorName = actorName
        self.caption = caption
        self.timeAlignment = timeAlignment
        self.traces = traces
        self.keyframeIndices = keyframeIndices
        self.nounSegments = nounSegments
        self.keyframeSelection = keyframeSelection
        self.recordingStartMS = recordingStartMS
        self.tracesStartMS = tracesStartMS
        self.recordingFilename = recordingFilename
    }

    /// The time alignment as utterances of one word each, in seconds (stored like LN's).
    public var utterances: [Utterance] {
        timeAlignment.map { Utterance(text: $0.word, start: $0.startMS / 1000, end: $0.endMS / 1000) }
    }

    /// The points on keyframe `k`: each recorded segment restricted to its points on `k`,
    /// a run of consecutive such points forming one segment.
    public func traces(keyframe k: Int) -> Traces {
        var points: [TracePoint] = []
        var lengths: [Int] = []
        for range in traces.segmentRanges {
            var run = 0
            for i in range {
                if keyframeIndices[i] == Int32(k) {
                    points.append(traces.points[i])
                    run += 1
                } else if run > 0 {
                    lengths.append(run)
                    run = 0
                }
            }
            if run > 0 { lengths.append(run) }
        }
        return Traces(points: points, segmentLengths: lengths)
    }

    /// The caption's words (`Tokenizer`) with times from `time_alignment`, matched by span.
    ///
    /// A word takes the time of every entry whose span overlaps its own; an entry spanning
    /// several words is shared among them in proportion to their lengths, as LN utterances
    /// are. Status: `exact` when one entry covers the word and names the same word (compared
    /// as `Tokenizer` normalises), `fuzzy` when it names another form or several entries
    /// meet in the word, `untimedUtterance` when the entries have no usable time
    /// (end ≤ start), `notSpoken` when no entry overlaps it.
    public func alignedWords() -> [Word] {
        let tokens = Tokenizer.tokens(in: caption)
        var from = [Float](repeating: .infinity, count: tokens.count)
        var to = [Float](repeating: -.infinity, count: tokens.count)
        var hits = [Int](repeating: 0, count: tokens.count)
        var untimed = [Bool](repeating: false, count: tokens.count)
        var sameWord = [Bool](repeating: false, count: tokens.count)
        var first = 0  // tokens are in span order; entries usually are too
        for entry in timeAlignment {
            if first > 0, tokens[first - 1].start + tokens[first - 1].length > entry.start { first = 0 }
            while first < tokens.count, tokens[first].start + tokens[first].length <= entry.start { first += 1 }
            var last = first
            while last < tokens.count, tokens[last].start < entry.end { last += 1 }
            guard last > first else { continue }
            let covered = tokens[first..<last]
            let total = Double(covered.reduce(0) { $0 + $1.length })
            var elapsed = 0.0
            let timed = entry.endMS > entry.startMS
            let spoken = Tokenizer.tokens(in: entry.word).map(\.normalized).joined()
            for i in first..<last {
                let share0 = entry.startMS + (entry.endMS - entry.startMS) * elapsed / total
                elapsed += Double(tokens[i].length)
                let share1 = entry.startMS + (entry.endMS - entry.startMS) * elapsed / total
                hits[i] += 1
                if !timed {
                    untimed[i] = true
                    continue
                }
                from[i] = min(from[i], Float(share0 / 1000))
                to[i] = max(to[i], Float(share1 / 1000))
                sameWord[i] = last - first == 1 && spoken == tokens[i].normalized
            }
        }
        return tokens.indices.map { i in
            let token = tokens[i]
            if hits[i] == 0 { return Word(start: token.start, length: token.length, status: .notSpoken) }
            if untimed[i] || !(to[i] > from[i]) {
                return Word(start: token.start, length: token.length, status: .untimedUtterance)
            }
            let status: AlignmentStatus = hits[i] == 1 && sameWord[i] ? .exact : .fuzzy
            return Word(start: token.start, length: token.length, status: status, startTime: from[i], endTime: to[i])
        }
    }
}
