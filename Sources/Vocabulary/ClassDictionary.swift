import Lexicon

/// One class of the dictionary: a synset, named the way captions name it.
public struct ClassEntry: Sendable, Equatable {
    /// Stable: kept from the previous dictionary for the same synset; new classes get ids
    /// above every id the previous dictionary used, so an id never changes meaning.
    public var id: Int
    /// The lemma variant captions use most ("sneaker" rather than "gym shoe").
    public var name: String
    /// Readable sense name ("sneaker.n.01") and the lexicon's synset id.
    public var sense: String
    public var synset: String
    public var ili: String
    public var lexFile: String
    public var mentions: Int
    public var images: Int
    /// Among the `trainClasses` most mentioned: the embedding is trained on these.
    public var train: Bool
    /// Open Images MIDs, space-separated (`oi_mid`); the first is the export's label. Empty: none.
    public var openImagesMID: String
    /// Their display names, "; "-separated.
    public var openImagesName: String
    /// `openImagesMID` as a list.
    public var openImagesMIDs: [String] { openImagesMID.split(separator: " ").map(String.init) }
    /// Mentions whose sense choice had tangible rivals in other lexicographer files.
    public var ambiguous: Int
    /// Surface forms with their counts, most frequent first: "sneakers:12 sneaker:3".
    public var variants: String
    public var gloss: String
    /// One caption with the mention in brackets.
    public var example: String
    /// Curation rules that fired for this class ("Vocab/aliases.tsv:12").
    public var rules: String
    /// Up to three captions with the mention in brackets (the first is `example`); not in the TSV.
    public var examples: [String] = []

    public init(
        id: Int, name: String, sense: String, synset: String, ili: String, lexFile: String, mentions: Int, images: Int,
        train: Bool, openImagesMID: String, openImagesName: String, ambiguous: Int, variants: String, gloss: String,
        example: String, rules: String, examples: [String]
    ) {
        self.id = id
        self.name = name
        self.sense = sense
        self.synset = synset
        self.ili = ili
        self.lexFile = lexFile
        self.mentions = mentions
        self.images = images
        self.train = train
        self.openImagesMID = openImagesMID
        self.openImagesName = openImagesName
        self.ambiguous = ambiguous
        self.variants = variants
        self.gloss = gloss
        self.example = example
        self.rules = rules
        self.examples = examples
    }

    public static let columns = [
        "id", "name", "sense", "synset", "ili", "lexfile", "mentions", "images", "train", "oi_mid", "oi_name",
        "ambiguous", "variants", "gloss", "example", "rules",
    ]

    var fields: [String] {
        [
            String(id), name, sense, synset, ili, lexFile, String(mentions), String(images), train ? "1" : "0",
            openImagesMID, openImagesName, String(ambiguous), variants, gloss, example, rules,
        ].map(TSV.clean)
    }
}

/// Something that looked like a class but was filtered out, grouped by lemma and reason.
public struct NearMiss: Sendable, Equatable {
    public var lemma: String
    public var sense: String
    /// `Verdict.code` and `Verdict.explanation` of the filter that dropped it.
    public var verdict: String
    public var reason: String
    public var mentions: Int
    /// Up to three captions with the text in brackets.
    public var examples: [String]

    public init(lemma: String, sense: String, verdict: String, reason: String, mentions: Int, examples: [String]) {
        self.lemma = lemma
        self.sense = sense
        self.verdict = verdict
        self.reason = reason
        self.mentions = mentions
        self.examples = examples
    }
}

/// Settings of a dictionary build.
public struct DictionaryOptions: Sendable {
    /// Classes mentioned fewer times are left out (unless a `includes.tsv` rule keeps them).
    public var minimumMentions: Int
    /// How many of the most mentioned classes are marked for embedding training.
    public var trainClasses: Int

    public init(minimumMentions: Int = 20, trainClasses: Int = 200) {
        self.minimumMentions = minimumMentions
        self.trainClasses = trainClasses
    }
}

/// The class dictionary: the classes kept, the near-misses, and how ids were assigned.
public struct ClassDictionary: Sendable {
    public var classes: [ClassEntry]
    public var nearMisses: [NearMiss]
    /// Classes whose id came from the previous dictionary, and those given a new id.
    public var keptIDs = 0
    public var newIDs = 0

    public init(classes: [ClassEntry], nearMisses: [NearMiss]) {
        self.classes = classes
        self.nearMisses = nearMisses
    }

    /// The Open Images MIDs of a class (space-separated; the first is the one the export
    /// writes) and their display names ("; "-separated): those `mids.tsv` lists for its sense,
    /// else the Open Images classes the mapping gives its synset (the one named like the class
    /// first). `assignNamesakes` fills in the classes left without.
    static func openImagesClasses(
        of synset: Int32, name: String, curation: Curation, openImages: OpenImagesMapping?
    ) -> (mids: String, names: String) {
        if let curated = curation.mids[synset] {
            return (curated.mids.joined(separator: " "), curated.mids.map { openImages?.name(of: $0) ?? "" }.joined(separator: "; "))
        }
        let found = openImages?.classes(of: synset, name: name) ?? []
        return (found.map(\.mid).joined(separator: " "), found.map(\.name).joined(separator: "; "))
    }

    /// A class without MIDs takes the Open Images classes named like it that map to another
    /// sense of its word (`OpenImagesMapping.namesakes`), unless another class carries them:
    /// one MID never names two classes this way.
    static func assignNamesakes(_ entries: inout [ClassEntry], openImages: OpenImagesMapping) {
        var carried = Set(entries.flatMap(\.openImagesMIDs))
        for i in entries.indices where entries[i].openImagesMID.isEmpty {
            let found = openImages.namesakes(of: entries[i].name).filter { !carried.contains($0.mid) }
            guard !found.isEmpty else { continue }
            entries[i].openImagesMID = found.map(\.mid).joined(separator: " ")
            entries[i].openImagesName = found.map(\.name).joined(separator: "; ")
            carried.formUnion(found.map(\.mid))
        }
    }

    /// Builds the dictionary from a tally. `previous` maps synset ids to the ids an earlier
    /// dictionary gave them; new classes are numbered above those and above `idsUsedUpTo`
    /// (ids given before to classes since dropped, which stored questions may still name).
    public init(
        tally: DictionaryTally, extractor: MentionExtractor, options: DictionaryOptions, previous: [String: Int] = [:],
        idsUsedUpTo: Int = 0, openImages: OpenImagesMapping? = nil
    ) {
        let lexicon = extractor.lexicon
        var entries: [ClassEntry] = []
        var misses: [NearMiss] = []
        for (synset, t) in tally.classes {
            let node = lexicon.synsets[Int(synset)]
            let sense = lexicon.senseName(of: synset)
            let included = extractor.curation.includes[synset] != nil
            let examples = t.examples.map(\.text)
            let example = examples.first ?? ""
            if t.mentions < options.minimumMentions, !included {
                let lemma = t.lemmas.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? sense
                misses.append(
                    NearMiss(
                        lemma: lemma, sense: sense, verdict: "rare",
                        reason: Verdict.rare(mentions: t.mentions, minimum: options.minimumMentions).explanation,
                        mentions: t.mentions, examples: examples))
                continue
            }
            let lemmaCounts = t.lemmas.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let name = lemmaCounts.first?.key ?? Lexicon.key(node.lemmas.first ?? sense)
            let variants = t.variants.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { "\($0.key):\($0.value)" }.joined(separator: " ")
            let rules = t.rules.sorted { ($0.file, $0.line) < ($1.file, $1.line) }.map(\.description).joined(separator: " ")
            var entry = ClassEntry(
                id: 0, name: name, sense: sense, synset: node.id, ili: node.ili ?? "", lexFile: node.lexFile.name,
                mentions: t.mentions, images: t.imageCount, train: false, openImagesMID: "", openImagesName: "",
                ambiguous: t.ambiguous, variants: variants, gloss: node.gloss, example: example, rules: rules,
                examples: examples)
            (entry.openImagesMID, entry.openImagesName) = Self.openImagesClasses(
                of: synset, name: name, curation: extractor.curation, openImages: openImages)
            entries.append(entry)
        }
        // Ids: previous ones kept; new classes numbered after the largest previous id, most
        // mentioned first, so a fresh build numbers classes by frequency.
        entries.sort { ($0.mentions, $1.synset) > ($1.mentions, $0.synset) }
        if let openImages { Self.assignNamesakes(&entries, openImages: openImages) }
        var next = max(previous.values.max() ?? 0, idsUsedUpTo) + 1
        for i in entries.indices {
            if let id = previous[entries[i].synset] {
                entries[i].id = id
                keptIDs += 1
            } else {
                entries[i].id = next
                next += 1
                newIDs += 1
            }
        }
        for i in entries.indices.prefix(options.trainClasses) { entries[i].train = true }
        for (key, m) in tally.misses {
            let lemma = key.lemma
            misses.append(
                NearMiss(
                    lemma: lemma, sense: m.sense.map { lexicon.senseName(of: $0) } ?? "", verdict: m.code,
                    reason: m.explanation, mentions: m.mentions, examples: m.examples.map(\.text)))
        }
        // Fully ordered (the tally's dictionaries iterate in a per-process order).
        misses.sort { ($0.mentions, $1.lemma, $1.verdict, $1.sense, $1.reason) > ($1.mentions, $0.lemma, $0.verdict, $0.sense, $0.reason) }
        classes = entries
        nearMisses = misses
    }
}
