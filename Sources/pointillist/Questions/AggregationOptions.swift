import ArgumentParser
import Questions

/// How answers become labels, for `questions next` and `questions export`: asked here, or
/// the rule the corpus recorded when `questions next` last ran.
extension AggregationRule.Kind: EnumerableFlag {
    public static func help(for value: AggregationRule.Kind) -> ArgumentHelp? {
        switch value {
        case .unanimous: "Yes or No when every non-unsure answer agrees (the default before `questions next` records a rule)."
        case .majority: "Yes or No by a strict majority of the non-unsure answers (without either: the rule `questions next` recorded)."
        }
    }
}

struct AggregationOptions: ParsableArguments {
    @Flag var kind: AggregationRule.Kind?

    @Option(
        name: .customLong("min-answers"),
        help: "Decisive (non-unsure) answers needed for Yes or No (default: 2, or the recorded rule's).")
    var minimumAnswers: Int?

    func validate() throws {
        if let n = minimumAnswers, n < 1 { throw ValidationError("--min-answers must be at least 1") }
    }

    /// What was asked; the rest comes from the corpus's recorded rule.
    var request: AggregationRequest {
        AggregationRequest(kind: kind, minimumAnswers: minimumAnswers)
    }

    /// "majority of at least 2 answers".
    static func describe(_ rule: AggregationRule) -> String {
        "\(rule.kind.rawValue), at least \(rule.minimumAnswers) decisive answer\(rule.minimumAnswers == 1 ? "" : "s")"
    }
}
