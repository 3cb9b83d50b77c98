import Support

/// Every knob of the generator, with the defaults documented in `SCENES.md`.
public struct SceneConfiguration: Sendable, Equatable {
    /// Same seed, same bytes: every image draws from streams derived from (seed, image index).
    public var seed: UInt64 = 1
    public var width = 320
    public var height = 240
    /// How many classes of `Catalogue.classes` to use: the first `classCount` (20 to the catalogue size).
    public var classCount = 40
    /// Things (not background regions) per image, drawn uniformly.
    public var objectsPerImage: ClosedRange<Int> = 2...8
    /// Narratives per image: at least `annotatorsPerImage`, plus one with `extraAnnotatorProbability`.
    public var annotatorsPerImage = 1
    public var extraAnnotatorProbability = 0.15
    /// `dataset_id` of every line, and the prefix of `voice_recording`.
    public var datasetID = "generated_scenes"

    // Naming.
    /// Chance that a visible thing is left out of a caption (small things more often).
    public var unnamedProbability = 0.2
    /// Things with fewer visible pixels than this fraction of the image are never named.
    public var minimumNamedFraction = 0.002
    /// Chance that an utterance is untimed (start_time = end_time = 0), as in real files.
    public var untimedUtteranceProbability = 0.03

    // Traces.
    /// Seconds between trace points (real LN: about 0.05).
    public var sampleInterval = 0.05
    /// Mean and standard deviation in seconds of the delay between a word's start and the
    /// mouse arriving on what it names (negative: the mouse gets there first).
    public var lagMean = 0.1
    public var lagStd = 0.25
    /// Standard deviation of per-point hand jitter, in normalised coordinates.
    public var jitterStd = 0.006
    /// Standard deviation of the slow drift of the hand away from its target (normalised).
    public var driftStd = 0.02
    /// Chance that a scribble waypoint lands just outside the object (on a neighbour).
    public var spillProbability = 0.2
    /// Chance that a named object gets no trace at all while it is said.
    public var untracedProbability = 0.07
    /// Chance that a named object is traced on something else (another object).
    public var misplacedProbability = 0.06
    /// Target fraction of trace points outside [0, 1] (the band around the image).
    public var outOfBandFraction = 0.02

    public init() {}

    /// Checks ranges; the message names the parameter.
    public func validate() throws(PointillistError) {
        func check(_ ok: Bool, _ message: String) throws(PointillistError) {
            if !ok { throw PointillistError(message) }
        }
        try check(width >= 32 && width <= 4096 && height >= 32 && height <= 4096, "width and height must be between 32 and 4096")
        try check(classCount >= 20 && classCount <= Catalogue.classes.count, "classes must be between 20 and \(Catalogue.classes.count)")
        try check(objectsPerImage.lowerBound >= 0 && objectsPerImage.upperBound <= 40, "objects per image must be within 0...40")
        try check(annotatorsPerImage >= 1 && annotatorsPerImage <= 5, "annotators per image must be between 1 and 5")
        for (name, p) in [
            ("extra annotator probability", extraAnnotatorProbability), ("unnamed probability", unnamedProbability),
            ("untimed utterance probability", untimedUtteranceProbability), ("spill probability", spillProbability),
            ("untraced probability", untracedProbability), ("misplaced probability", misplacedProbability),
            ("out-of-band fraction", outOfBandFraction), ("minimum named fraction", minimumNamedFraction),
        ] {
            try check(p >= 0 && p <= 1, "\(name) must be between 0 and 1")
        }
        try check(sampleInterval >= 0.01 && sampleInterval <= 1, "sample interval must be between 0.01 and 1 s")
        try check(abs(lagMean) <= 5 && lagStd >= 0 && lagStd <= 5, "lag mean must be within ±5 s and its std within 0...5 s")
        try check(
            jitterStd >= 0 && jitterStd <= 0.2 && driftStd >= 0 && driftStd <= 0.3, "jitter std must be within 0...0.2 and drift std within 0...0.3")
        try check(
            !datasetID.isEmpty && datasetID.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" },
            "dataset id must be letters, digits, _ or -")
    }

    /// The classes in use, in mask-value order (mask value = position + 1).
    public var classes: [SceneClass] { Array(Catalogue.classes.prefix(classCount)) }
}
