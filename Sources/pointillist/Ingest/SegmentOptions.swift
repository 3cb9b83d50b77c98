import ArgumentParser
import Narratives
import Pipeline

extension OutOfImagePolicy: ExpressibleByArgument {}

/// Options that set how word trace segments are derived.
struct SegmentOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds added before and after a word's time span when collecting its trace points (default 0.2, or the corpus's recorded value).",
            valueName: "seconds"))
    var margin: Float?

    @Option(
        name: .customLong("min-points"),
        help: ArgumentHelp(
            "Fewer recorded points than this in a word's span: interpolate the trace at this many times instead (default 3).", valueName: "n"))
    var minimumPoints: Int?

    @Option(
        name: .customLong("out-of-image"),
        help: ArgumentHelp(
            "Trace points outside the image in word segments: keep, clamp (onto the edge) or drop. Stored traces always keep them (default drop).",
            valueName: "policy"))
    var outOfImage: OutOfImagePolicy?

    func validate() throws {
        if let margin, !(margin >= 0 && margin <= 10) { throw ValidationError("--margin must be between 0 and 10 seconds") }
        if let minimumPoints, minimumPoints < 1 { throw ValidationError("--min-points must be at least 1") }
    }

    var overrides: SegmentOverrides { SegmentOverrides(margin: margin, minimumPoints: minimumPoints, outOfImage: outOfImage) }
}
