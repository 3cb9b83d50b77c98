/// Counts mentions per class and near-misses per lemma over a corpus.
///
/// Tallies merge in any grouping and order to the same tally: counts add, sets unite, and the
/// examples kept are the three smallest by (image id, caption, span), not the first met. So
/// workers' tallies, and the tallies of a corpus's shards (`DictionaryCountsFile`), merge to
/// what one pass over the whole corpus counts.
public struct DictionaryTally: Sendable {
    struct ClassTally: Sendable {
        var mentions = 0
        /// The images of this tally's captions (numbers the caller gives) ...
        var images: Set<Int32> = []
        /// ... and images counted by tallies read from a counts file: a shard holds whole
        /// images, so those of different shards are different images.
        var imagesElsewhere = 0
        var variants: [String: Int] = [:]
        var lemmas: [String: Int] = [:]
        var ambiguous = 0
        var rules: Set<RuleSource> = []
        var examples: [Example] = []

        var imageCount: Int { images.count + imagesElsewhere }
    }
    /// A near-miss: its explanation and sense are those of its first example (the smallest),
    /// so a tally merged from shards in any order says what one machine's does.
    struct MissTally: Sendable {
        var code: String
        var explanation: String
        var sense: Int32?
        var mentions = 0
        var examples: [Example] = []
    }
    /// A mention in its caption, and the caption's image; written out (`text`) only for the
    /// tallies that end in the dictionary.
    struct Example: Sendable, Comparable {
        var image: String
        var caption: String
        var start: Int
        var length: Int

        var text: String { DictionaryTally.example(caption, start: start, length: length) }

        static func < (a: Example, b: Example) -> Bool {
            (a.image, a.caption, a.start, a.length) < (b.image, b.caption, b.start, b.length)
        }
    }
    var classes: [Int32: ClassTally] = [:]
    /// A near-miss is counted per lemma and verdict.
    struct MissKey: Hashable, Sendable {
        var lemma: String
        var code: String
    }
    var misses: [MissKey: MissTally] = [:]
    public internal(set) var captions = 0
    public internal(set) var candidates = 0
    public internal(set) var kept = 0
    /// Candidates per verdict code, and how often each curation rule fired.
    public internal(set) var verdicts: [String: Int] = [:]
    public internal(set) var rulesFired: [RuleSource: Int] = [:]

    /// Examples kept per class and per near-miss.
    static let exampleCount = 3

    public init() {}

    /// Adds one caption's candidates. `image` is the caption's image id, `imageNumber` a
    /// number standing for it (the same for every caption of the image).
    public mutating func add(_ found: [Candidate], caption: String, image: String, imageNumber: Int32) {
        captions += 1
        for c in found {
            candidates += 1
            verdicts[c.verdict.code, default: 0] += 1
            for rule in c.rules { rulesFired[rule, default: 0] += 1 }
            if case .blocklisted(_, let rule) = c.verdict { rulesFired[rule, default: 0] += 1 }
            // Updated in place: a copy taken out of the dictionary would copy its image set on
            // the first insert, for every mention.
            if c.verdict.isKept, let synset = c.synset {
                kept += 1
                Self.count(c, caption: caption, image: image, imageNumber: imageNumber, in: &classes[synset, default: ClassTally()])
                if let compound = c.compound { countCompound(compound, of: c, caption: caption, image: image) }
            } else {
                let key = MissKey(lemma: c.lemma, code: c.verdict.code)
                Self.count(
                    c, caption: caption, image: image,
                    in: &misses[key, default: MissTally(code: c.verdict.code, explanation: c.verdict.explanation, sense: c.sense)])
            }
        }
    }

    static func count(_ c: Candidate, caption: String, image: String, imageNumber: Int32, in t: inout ClassTally) {
        t.mentions += 1
        t.images.insert(imageNumber)
        t.variants[c.surface, default: 0] += 1
        t.lemmas[c.lemma, default: 0] += 1
        if c.ambiguous { t.ambiguous += 1 }
        t.rules.formUnion(c.rules)
        offer(c, caption: caption, image: image, to: &t.examples)
    }

    /// A name the lexicon lacks, kept as its head: a near-miss with the code `compound`, so the
    /// review lists it (an `alias:<sense>` decision makes it a name of its own).
    mutating func countCompound(_ compound: Candidate.Compound, of c: Candidate, caption: String, image: String) {
        let key = MissKey(lemma: compound.text, code: "compound")
        // Built only when it is kept: most compound mentions add to a tally that has its own.
        let explanation = { "not a name in the lexicon: counted as its head '\(c.lemma)'" }
        Self.count(
            image: image, caption: caption, start: compound.start, length: compound.length, explanation: explanation(), sense: c.sense,
            in: &misses[key, default: MissTally(code: "compound", explanation: explanation(), sense: c.sense)])
    }

    static func count(_ c: Candidate, caption: String, image: String, in t: inout MissTally) {
        count(
            image: image, caption: caption, start: c.start, length: c.length, explanation: c.verdict.explanation, sense: c.sense, in: &t)
    }

    static func count(
        image: String, caption: String, start: Int, length: Int, explanation: @autoclosure () -> String, sense: Int32?,
        in t: inout MissTally
    ) {
        t.mentions += 1
        if let first = t.examples.first, image <= first.image, Example(image: image, caption: caption, start: start, length: length) < first {
            (t.explanation, t.sense) = (explanation(), sense)
        }
        offer(image: image, caption: caption, start: start, length: length, to: &t.examples)
    }

    /// Keeps the mention among `examples` if it is one of the smallest (most mentions are
    /// turned away by their image alone).
    static func offer(_ c: Candidate, caption: String, image: String, to examples: inout [Example]) {
        offer(image: image, caption: caption, start: c.start, length: c.length, to: &examples)
    }

    static func offer(image: String, caption: String, start: Int, length: Int, to examples: inout [Example]) {
        if examples.count == exampleCount, let last = examples.last {
            if image > last.image { return }
            let example = Example(image: image, caption: caption, start: start, length: length)
            if !(example < last) { return }
            keep([example], in: &examples)
        } else {
            keep([Example(image: image, caption: caption, start: start, length: length)], in: &examples)
        }
    }

    /// The smallest examples of `examples` and `more`, in order.
    static func keep(_ more: [Example], in examples: inout [Example]) {
        examples = Array((examples + more).sorted().prefix(exampleCount))
    }

    /// Adds another tally (in any order: the result is the same).
    public mutating func merge(_ other: DictionaryTally) {
        captions += other.captions
        candidates += other.candidates
        kept += other.kept
        verdicts.merge(other.verdicts, uniquingKeysWith: +)
        rulesFired.merge(other.rulesFired, uniquingKeysWith: +)
        for (synset, o) in other.classes {
            guard var t = classes[synset] else {
                classes[synset] = o
                continue
            }
            t.mentions += o.mentions
            t.images.formUnion(o.images)
            t.imagesElsewhere += o.imagesElsewhere
            t.variants.merge(o.variants, uniquingKeysWith: +)
            t.lemmas.merge(o.lemmas, uniquingKeysWith: +)
            t.ambiguous += o.ambiguous
            t.rules.formUnion(o.rules)
            Self.keep(o.examples, in: &t.examples)
            classes[synset] = t
        }
        for (key, o) in other.misses {
            if var t = misses[key] {
                t.mentions += o.mentions
                if let theirs = o.examples.first, t.examples.first.map({ theirs < $0 }) ?? true {
                    (t.explanation, t.sense) = (o.explanation, o.sense)
                }
                Self.keep(o.examples, in: &t.examples)
                misses[key] = t
            } else {
                misses[key] = o
            }
        }
    }

    /// The caption with the span in brackets, cut to about 50 characters of context each side.
    static func example(_ caption: String, start: Int, length: Int) -> String {
        let scalars = Array(caption.unicodeScalars)
        let end = min(scalars.count, start + length)
        guard start >= 0, start <= end else { return caption }
        let from = max(0, start - 50)
        let to = min(scalars.count, end + 50)
        func text(_ r: Range<Int>) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[r])
            return String(v)
        }
        return (from > 0 ? "…" : "") + text(from..<start) + "[" + text(start..<end) + "]" + text(end..<to)
            + (to < scalars.count ? "…" : "")
    }
}
