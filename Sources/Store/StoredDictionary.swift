import Support
import Vocabulary

extension Corpus {
    /// Whether a dictionary build has completed (`nil`: never run; `false`: interrupted).
    public func vocabularyComplete() throws(PointillistError) -> Bool? {
        try setting("vocabulary").map { $0 == "complete" }
    }

    /// The stored dictionary's classes by id.
    public func classesByID() throws(PointillistError) -> [Int: ClassEntry] {
        Dictionary(uniqueKeysWithValues: try storedDictionary().classes.map { ($0.id, $0) })
    }

    /// Refuses to go on without a complete dictionary build (none, or one interrupted).
    func requireCompleteDictionary() throws(PointillistError) {
        guard try vocabularyComplete() == true else {
            throw PointillistError("no complete class dictionary: run `pointillist vocab build` first", doing: "reading \(database.path)")
        }
    }

    /// The settings the last dictionary build recorded; the defaults for a corpus built
    /// before builds recorded them.
    public func dictionaryOptions() throws(PointillistError) -> DictionaryOptions {
        let standard = DictionaryOptions()
        return DictionaryOptions(
            minimumMentions: try setting("vocabulary.min_mentions").flatMap { Int($0) } ?? standard.minimumMentions,
            trainClasses: try setting("vocabulary.train_classes").flatMap { Int($0) } ?? standard.trainClasses)
    }

    /// The stored dictionary and near-misses of the last complete build.
    public func storedDictionary() throws(PointillistError) -> ClassDictionary {
        try requireCompleteDictionary()
        var classes: [ClassEntry] = []
        let s = try database.prepare(
            """
            SELECT id, name, sense, synset, ili, lexfile, mentions, images, train, oi_mid, oi_name, ambiguous, variants,
                   gloss, examples, rules FROM classes ORDER BY id
            """)
        while try s.step() {
            let examples = s.text(14).split(separator: "\n").map(String.init)
            classes.append(
                ClassEntry(
                    id: s.int(0), name: s.text(1), sense: s.text(2), synset: s.text(3), ili: s.text(4), lexFile: s.text(5),
                    mentions: s.int(6), images: s.int(7), train: s.int(8) != 0, openImagesMID: s.text(9),
                    openImagesName: s.text(10), ambiguous: s.int(11), variants: s.text(12), gloss: s.text(13),
                    example: examples.first ?? "", rules: s.text(15), examples: examples))
        }
        var misses: [NearMiss] = []
        let m = try database.prepare(
            "SELECT lemma, sense, verdict, reason, mentions, examples FROM near_misses ORDER BY id")
        while try m.step() {
            misses.append(
                NearMiss(
                    lemma: m.text(0), sense: m.text(1), verdict: m.text(2), reason: m.text(3), mentions: m.int(4),
                    examples: m.text(5).split(separator: "\n").map(String.init)))
        }
        return ClassDictionary(classes: classes, nearMisses: misses)
    }
}
