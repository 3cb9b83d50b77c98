import Lexicon
import Support

/// The rows of `pointillist vocab explain`: one TSV row per mention of a text, with its
/// lemma, sense, verdict and the rules behind it.
public struct Explanation {
    public static let columns = ["text", "lemma", "sense", "synset", "verdict", "reason", "rules", "ambiguous", "gloss"]

    public let extractor: MentionExtractor
    /// A dictionary file and its synsets: a kept mention of a class it lacks is reported as rare.
    public var dictionary: (path: String, synsets: Set<String>)?
    /// Also a row for every word the rules skip (function words, verbs).
    public var includeSkipped = false

    public init(extractor: MentionExtractor) {
        self.extractor = extractor
    }

    /// Reads `dictionary` so that kept mentions of classes it lacks are reported as rare.
    public mutating func compare(with dictionary: String) throws {
        self.dictionary = (dictionary, Set(try DictionaryFile.read(dictionary).map(\.synset)))
    }

    /// The texts of a file, one per non-blank line.
    public static func texts(inFile path: String) throws -> [String] {
        guard let text = try TSV.readText(path, optional: false) else { return [] }
        return text.fileLines().map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// The header row, with its line end.
    public static var header: String { columns.joined(separator: "\t") + "\n" }

    /// The rows of one text, each with its line end.
    public func rows(of text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let lexicon = extractor.lexicon
        return extractor.candidates(in: text, includeSkipped: includeSkipped).map { c in
            var span = String.UnicodeScalarView()
            span.append(contentsOf: scalars[c.start..<min(scalars.count, c.start + c.length)])
            var verdict = c.verdict
            if verdict.isKept, let (_, known) = dictionary, let s = c.synset, !known.contains(lexicon.synsets[Int(s)].id),
                extractor.curation.includes[s] == nil
            {
                verdict = .rare(mentions: 0, minimum: 0)
            }
            let reason = verdict.code == "rare" ? "not in \(dictionary?.path ?? "")" : verdict.explanation
            let fields = [
                String(span), c.lemma, c.synset.map { lexicon.senseName(of: $0) } ?? "", c.synset.map { lexicon.synsets[Int($0)].id } ?? "",
                verdict.code, reason, c.rules.map(\.description).joined(separator: " "), c.ambiguous ? "yes" : "",
                c.synset.map { lexicon.synsets[Int($0)].gloss } ?? "",
            ]
            return fields.map(TSV.clean).joined(separator: "\t") + "\n"
        }
    }
}
