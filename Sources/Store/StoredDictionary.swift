import Support
import Vocabulary

extension Corpus {
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
            let examples = s.text("examples").split(separator: "\n").map(String.init)
            classes.append(
                ClassEntry(
                    id: s.int("id"), name: s.text("name"), sense: s.text("sense"), synset: s.text("synset"), ili: s.text("ili"),
                    lexFile: s.text("lexfile"), mentions: s.int("mentions"), images: s.int("images"), train: s.int("train") != 0,
                    openImagesMID: s.text("oi_mid"), openImagesName: s.text("oi_name"), ambiguous: s.int("ambiguous"),
                    variants: s.text("variants"), gloss: s.text("gloss"), example: examples.first ?? "", rules: s.text("rules"),
                    examples: examples))
        }
        var misses: [NearMiss] = []
        let m = try database.prepare(
            "SELECT lemma, sense, verdict, reason, mentions, examples FROM near_misses ORDER BY id")
        while try m.step() {
            misses.append(
                NearMiss(
                    lemma: m.text("lemma"), sense: m.text("sense"), verdict: m.text("verdict"), reason: m.text("reason"),
                    mentions: m.int("mentions"), examples: m.text("examples").split(separator: "\n").map(String.init)))
        }
        return ClassDictionary(classes: classes, nearMisses: misses)
    }
}
