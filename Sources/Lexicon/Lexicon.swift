import Text

/// A WordNet lexicographer file ("noun.animal", "noun.artifact", …), the coarse semantic
/// category every synset belongs to. Stored as its WordNet file number.
public struct LexFile: Hashable, Sendable, CustomStringConvertible {
    public var number: UInt8

    /// The names of WordNet's lexicographer files by number, as listed in lexnames(5WN).
    public static let names: [String] = [
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
        "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
        "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
        "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
        "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
        "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
        "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
        "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather",
        "adj.ppl",
    ]
    static let byName: [String: UInt8] = Dictionary(
        uniqueKeysWithValues: names.enumerated().map { ($0.element, UInt8($0.offset)) })

    public init(number: UInt8) { self.number = number }

    /// The file called `name`, or nil when WordNet has no such lexicographer file.
    public init?(name: String) {
        guard let n = LexFile.byName[name] else { return nil }
        number = n
    }

    public var name: String { Int(number) < LexFile.names.count ? LexFile.names[Int(number)] : "lexfile.\(number)" }
    public var description: String { name }
}

/// A noun concept: one WordNet synset.
public struct Synset: Sendable, Equatable {
    /// The identifier the source uses: `02084071-n` for the WordNet 3.0 database (offset and
    /// part of speech), the XML id (`oewn-02086723-n`) for WN-LMF lexicons.
    public var id: String
    public var lexFile: LexFile
    /// Written forms in the source's order, words separated by one space ("traffic light").
    public var lemmas: [String]
    /// Indices of the hypernym synsets ("is a kind of").
    public var hypernyms: [Int32]
    /// Indices of the synsets this one is an instance of: set for proper names ("Paris" is an
    /// instance of city); such synsets usually have no plain hypernym.
    public var instanceOf: [Int32]
    public var gloss: String
    /// The Collaborative Interlingual Index id (`i35546`) where the lexicon has one.
    public var ili: String?

    public var isInstance: Bool { !instanceOf.isEmpty }
}

/// One meaning of a lemma: the synset and how often annotators chose it.
public struct Sense: Sendable, Equatable {
    public var synset: Int32
    /// 1-based position in the lemma's sense list (WordNet orders senses by frequency).
    public var number: Int
    /// Tag count from the sense-tagged corpora (WordNet 3.0 `cntlist.rev`); 0 when unknown.
    public var count: Int
}

/// An in-memory noun lexicon: synsets, the senses of every lemma in frequency order, the
/// hypernym graph and the irregular plurals. Built by `PrincetonLoader` (the WordNet 3.0
/// database files) or `LMFLoader` (WN-LMF XML); both give the same shape.
///
/// Lemmas are looked up by key: the lemma tokenised and normalised exactly as captions are
/// (`Tokenizer`): lower case, apostrophes and hyphens dropped, words joined by one space.
/// "T-shirt" and "t_shirt" both have key "tshirt"; "traffic_light" has key "traffic light".
public struct Lexicon: Sendable, Equatable {
    /// Where it was loaded from, for messages ("WordNet 3.0 database at /usr/share/wordnet").
    public let source: String
    public let synsets: [Synset]
    let senses: [String: [Sense]]
    let exceptions: [String: [String]]
    let synsetsByID: [String: Int32]
    /// The longest lemma, in words: phrase matching never needs to look further.
    public let longestLemma: Int
    /// Relations whose target synset is not in the lexicon (a partial WN-LMF lexicon, for
    /// instance one lexicographer file); the relation is dropped.
    public let unresolvedRelations: Int
    /// Per verb lemma key, the tag counts of its verb senses summed (WordNet 3.0's
    /// `cntlist.rev`); empty for a lexicon without tag counts. The lexicon holds nouns only:
    /// this is what the mention extractor asks about verbs ("falls" is mostly the verb).
    let verbTagCounts: [String: Int]
    /// The lemma keys that can be adjectives (WordNet 3.0's `index.adj`); empty for a lexicon
    /// loaded without them.
    let adjectives: Set<String>
    /// Whether any noun sense carries a tag count (WordNet 3.0 and the shipped OEWN).
    public let hasNounTagCounts: Bool

    init(
        source: String, synsets: [Synset], senses: [String: [Sense]], exceptions: [String: [String]],
        unresolvedRelations: Int, verbTagCounts: [String: Int] = [:], adjectives: Set<String> = []
    ) {
        self.source = source
        self.synsets = synsets
        self.senses = senses
        self.exceptions = exceptions
        self.unresolvedRelations = unresolvedRelations
        self.verbTagCounts = verbTagCounts
        self.adjectives = adjectives
        hasNounTagCounts = senses.values.contains { $0.contains { $0.count > 0 } }
        var byID: [String: Int32] = [:]
        byID.reserveCapacity(synsets.count)
        for (i, s) in synsets.enumerated() { byID[s.id] = Int32(i) }
        synsetsByID = byID
        longestLemma = senses.keys.reduce(1) { max($0, $1.utf8.reduce(1) { $1 == 0x20 ? $0 + 1 : $0 }) }
    }

    /// The lookup key of a written form: "Traffic_Light" → "traffic light".
    public static func key(_ writtenForm: String) -> String {
        Tokenizer.tokens(in: writtenForm).map(\.normalized).joined(separator: " ")
    }

    public var lemmaCount: Int { senses.count }

    /// What tells lexicons apart across machines (no paths): the first synset id, the numbers
    /// of synsets and lemmas, and whether senses carry tag counts.
    public var signature: String {
        "\(synsets.first?.id ?? "none") \(synsets.count) synsets \(lemmaCount) lemmas\(hasNounTagCounts ? " tag counts" : "")"
    }

    /// Every lemma key ("traffic light", "dog").
    public var lemmaKeys: Dictionary<String, [Sense]>.Keys { senses.keys }

    /// The senses of a lemma key, most frequent first; empty when it is not a noun lemma.
    public func senses(of key: String) -> [Sense] { senses[key] ?? [] }

    public func contains(_ key: String) -> Bool { senses[key] != nil }

    /// The tag counts of a lemma key's verb senses, summed; 0 when it is no tagged verb.
    public func verbTagCount(_ key: String) -> Int { verbTagCounts[key] ?? 0 }

    /// The tag counts of a lemma key's noun senses, summed; 0 when it is no tagged noun.
    public func nounTagCount(_ key: String) -> Int { senses(of: key).reduce(0) { $0 + $1.count } }

    /// Whether a lemma key can be an adjective ("dry", "female"); false when unknown.
    public func isAdjective(_ key: String) -> Bool { adjectives.contains(key) }

    /// The base forms the exception lists give an irregular noun form ("leaves" → leaf).
    public func exceptionBases(of key: String) -> [String] { exceptions[key] ?? [] }

    /// Whether the lexicon has verb tag counts (WordNet 3.0 does, OEWN does not).
    public var hasVerbTagCounts: Bool { !verbTagCounts.isEmpty }

    /// The synset with the source's identifier.
    public func synset(id: String) -> Int32? { synsetsByID[id] }

    /// Noun base forms of a (normalised) word or phrase, as WordNet's morphy finds them: the
    /// form itself if it is a lemma, the irregular forms from the exception lists ("geese" →
    /// goose), then the detachment rules applied to the last word ("sneakers" → sneaker,
    /// "boxes" → box, "berries" → berry). Only forms that are lemmas are returned, in that order.
    public func baseForms(of key: String) -> [String] {
        var result: [String] = []
        func add(_ form: String) {
            if senses[form] != nil, !result.contains(form) { result.append(form) }
        }
        add(key)
        for base in exceptions[key] ?? [] { add(base) }
        for form in Lexicon.detachedForms(of: key) { add(form) }
        return result
    }

    /// Whether a key reads as a noun plural: an irregular form ("men", "geese") or a form one
    /// of the detachment rules takes to a lemma ("dogs", "boxes").
    public func isPlural(_ key: String) -> Bool {
        !exceptionBases(of: key).isEmpty || Lexicon.detachedForms(of: key).contains(where: contains)
    }

    /// The key with each noun detachment rule that fits its end applied, lemmas or not
    /// ("street lights" → street light), in the rules' order.
    public static func detachedForms(of key: String) -> [String] {
        detachments.filter { key.hasSuffix($0.0) }.map { String(key.dropLast($0.0.count)) + $0.1 }
    }

    /// WordNet's noun detachment rules (morphy(7WN)); "ss" endings are left alone so that
    /// "glass" never becomes "glas".
    static let detachments: [(String, String)] = [
        ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
        ("ies", "y"), ("s", ""),
    ]

    /// The readable name of a sense, as NLTK writes it: "plant.n.02" is the second sense of
    /// the lemma "plant". Spaces in the lemma become underscores.
    public func senseName(lemma key: String, number: Int) -> String {
        let n = number < 10 ? "0\(number)" : "\(number)"
        return "\(key.replacing(" ", with: "_")).n.\(n)"
    }

    /// The readable name of a synset: its first lemma's sense that points at it.
    public func senseName(of synset: Int32) -> String {
        for lemma in synsets[Int(synset)].lemmas {
            let key = Lexicon.key(lemma)
            if let sense = senses[key]?.first(where: { $0.synset == synset }) {
                return senseName(lemma: key, number: sense.number)
            }
        }
        return synsets[Int(synset)].id
    }

    /// Resolves a sense name ("plant.n.02", "traffic_light.n.01") or a synset id.
    public func resolve(_ reference: String) -> Int32? {
        if let index = synsetsByID[reference] { return index }
        let parts = reference.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "n", let number = Int(parts[parts.count - 1]), number >= 1
        else { return nil }
        let key = Lexicon.key(parts.dropLast(2).joined(separator: "."))
        guard let list = senses[key], number <= list.count else { return nil }
        return list.first { $0.number == number }?.synset
    }

    /// The hypernym path from `synset` up to a root, following the first hypernym (or the
    /// first class it is an instance of) at each step. Starts with `synset` itself.
    public func hypernymChain(_ synset: Int32) -> [Int32] {
        var chain = [synset]
        var seen: Set<Int32> = [synset]
        var current = synset
        while true {
            let s = synsets[Int(current)]
            guard let next = s.hypernyms.first ?? s.instanceOf.first, seen.insert(next).inserted else { break }
            chain.append(next)
            current = next
        }
        return chain
    }

    /// Every synset above `synset` through hypernym and instance links, itself included.
    public func closure(_ synset: Int32) -> Set<Int32> {
        var seen: Set<Int32> = [synset]
        var stack = [synset]
        while let s = stack.popLast() {
            let node = synsets[Int(s)]
            for h in node.hypernyms where seen.insert(h).inserted { stack.append(h) }
            for h in node.instanceOf where seen.insert(h).inserted { stack.append(h) }
        }
        return seen
    }
}

/// Collects synsets, senses and exceptions by source identifier, then resolves them into a
/// `Lexicon`. Both loaders feed one of these, so the two formats cannot drift apart.
struct LexiconBuilder {
    struct PendingSynset {
        var id: String
        var lexFile: LexFile
        var lemmas: [String]
        var hypernyms: [String]
        var instanceOf: [String]
        var gloss: String
        var ili: String?
    }
    struct PendingSense {
        var synset: String
        var order: Int
        var count: Int
    }
    var synsets: [PendingSynset] = []
    var senses: [String: [PendingSense]] = [:]
    var exceptions: [String: [String]] = [:]
    var verbTagCounts: [String: Int] = [:]
    var adjectives: Set<String> = []

    mutating func addSense(lemma writtenForm: String, synset: String, order: Int, count: Int) {
        senses[Lexicon.key(writtenForm), default: []].append(PendingSense(synset: synset, order: order, count: count))
    }

    mutating func addException(form: String, base: String) {
        let key = Lexicon.key(form)
        let baseKey = Lexicon.key(base)
        guard key != baseKey, !key.isEmpty, !baseKey.isEmpty else { return }
        if exceptions[key]?.contains(baseKey) != true { exceptions[key, default: []].append(baseKey) }
    }

    /// Orders each lemma key's senses by tag count, most tagged first, then by their order
    /// (entries of one key, "book" and "Book", ranked together).
    mutating func orderSensesByCount() {
        for (key, list) in senses {
            let ranked = list.enumerated().sorted { a, b in
                (b.element.count, a.element.order, a.offset) < (a.element.count, b.element.order, b.offset)
            }
            senses[key] = ranked.enumerated().map { rank, sense in
                PendingSense(synset: sense.element.synset, order: rank, count: sense.element.count)
            }
        }
    }

    func build(source: String) -> Lexicon {
        var index: [String: Int32] = [:]
        index.reserveCapacity(synsets.count)
        for (i, s) in synsets.enumerated() { index[s.id] = Int32(i) }
        var unresolved = 0
        func resolve(_ ids: [String]) -> [Int32] {
            ids.compactMap { id in
                if let i = index[id] { return i }
                unresolved += 1
                return nil
            }
        }
        let resolved = synsets.map { p in
            Synset(
                id: p.id, lexFile: p.lexFile, lemmas: p.lemmas, hypernyms: resolve(p.hypernyms),
                instanceOf: resolve(p.instanceOf), gloss: p.gloss, ili: p.ili)
        }
        var senseIndex: [String: [Sense]] = [:]
        senseIndex.reserveCapacity(senses.count)
        for (key, list) in senses {
            var seen: Set<Int32> = []
            let ordered = list.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            var result: [Sense] = []
            for (_, p) in ordered {
                guard let s = index[p.synset], seen.insert(s).inserted else { continue }
                result.append(Sense(synset: s, number: result.count + 1, count: p.count))
            }
            if !result.isEmpty { senseIndex[key] = result }
        }
        return Lexicon(
            source: source, synsets: resolved, senses: senseIndex, exceptions: exceptions, unresolvedRelations: unresolved,
            verbTagCounts: verbTagCounts, adjectives: adjectives)
    }
}
