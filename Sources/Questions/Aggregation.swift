/// The label a point gets for one class once its answers are in.
public enum PointLabel: String, Sendable, Equatable, Hashable, CaseIterable {
    case yes = "Yes"
    case no = "No"
    case unresolved = "Unresolved"

    /// The Open Images `EstimatedYesNo` value: Yes → "yes", No → "no", Unresolved → "unsure".
    public var estimatedYesNo: String {
        switch self {
        case .yes: return "yes"
        case .no: return "no"
        case .unresolved: return "unsure"
        }
    }
}

/// Answer counts for one question.
public struct Votes: Sendable, Equatable, Hashable {
    public var yes: Int
    public var no: Int
    public var unsure: Int

    public init(yes: Int = 0, no: Int = 0, unsure: Int = 0) {
        self.yes = yes
        self.no = no
        self.unsure = unsure
    }

    /// Answers that took a side (yes + no); unsure answers never decide.
    public var decisive: Int { yes + no }
}

/// When the answers to a question make a label.
///
/// Unsure answers are counted but never decide: both rules look only at yes and no, and need
/// at least `minimumAnswers` of them.
public struct AggregationRule: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Yes (No) when every non-unsure answer is yes (no) and there are at least
        /// `minimumAnswers` of them; any disagreement, or too few, is Unresolved. The paper's
        /// strict setting: a label is kept only when annotators agree.
        case unanimous
        /// Yes when strictly more yes than no, No when strictly more no than yes, Unresolved
        /// on a tie or with fewer than `minimumAnswers` yes-or-no answers.
        case majority
    }

    /// Fewest yes-or-no answers for a Yes or No (values below 1 act as 1).
    public var minimumAnswers = 2
    public var kind: Kind = .unanimous

    public init(minimumAnswers: Int = 2, kind: Kind = .unanimous) {
        self.minimumAnswers = minimumAnswers
        self.kind = kind
    }

    /// The label these votes make under this rule.
    public func label(for votes: Votes) -> PointLabel {
        guard votes.decisive >= max(minimumAnswers, 1) else { return .unresolved }
        switch kind {
        case .unanimous:
            if votes.no == 0 { return .yes }
            if votes.yes == 0 { return .no }
            return .unresolved
        case .majority:
            if votes.yes > votes.no { return .yes }
            if votes.no > votes.yes { return .no }
            return .unresolved
        }
    }
}

/// Turns answers into point labels.
public enum Aggregation {
    /// Votes and label per question id, for every question that has an answer. Each
    /// annotator counts once per question: a later answer by the same annotator to the same
    /// question is ignored (`AnswerImport` already keeps such lines aside; this guards answers
    /// gathered some other way).
    public static func aggregate(_ answers: [Answer], rule: AggregationRule) -> [String: (label: PointLabel, votes: Votes)] {
        var votes: [String: Votes] = [:]
        var seen = Set<[String]>()
        for answer in answers where seen.insert([answer.questionID, answer.annotatorID]).inserted {
            var tally = votes[answer.questionID] ?? Votes()
            switch answer.value {
            case .yes: tally.yes += 1
            case .no: tally.no += 1
            case .unsure: tally.unsure += 1
            }
            votes[answer.questionID] = tally
        }
        return votes.mapValues { (label: rule.label(for: $0), votes: $0) }
    }
}

/// A rule as a command asks for it: what is not given comes from the rule the corpus
/// recorded (the one its rounds were decided by), else from `AggregationRule()`.
public struct AggregationRequest: Sendable, Equatable {
    public var kind: AggregationRule.Kind?
    public var minimumAnswers: Int?

    public init(kind: AggregationRule.Kind? = nil, minimumAnswers: Int? = nil) {
        self.kind = kind
        self.minimumAnswers = minimumAnswers
    }

    public func resolved(recorded: AggregationRule?) -> AggregationRule {
        let base = recorded ?? AggregationRule()
        return AggregationRule(minimumAnswers: minimumAnswers ?? base.minimumAnswers, kind: kind ?? base.kind)
    }
}
