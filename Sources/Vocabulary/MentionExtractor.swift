import Lexicon
import Narratives
import Text

/// Why a piece of caption text is, or is not, a mention of a dictionary class.
public enum Verdict: Sendable, Equatable {
    case kept
    /// A closed-class word (`Vocab/function-words.tsv`); only reported when asked for.
    case functionWord(WordCategory)
    /// A word read as a verb from its context ("holding" after a noun, "see" after "can").
    case verbContext(String)
    /// An adjective that could be a noun, read as an adjective by its context.
    case adjective(String)
    case blocklisted(reason: String, rule: RuleSource)
    /// Not a noun lemma of the lexicon, even after morphology.
    case unknown
    /// No tangible sense among the lemma's dominant senses; `lexFile` is the first sense's.
    case notTangible(sense: String, lexFile: LexFile)
    /// No tangible common sense, and the dominant sense is an instance: a person, place or brand name.
    case properName(sense: String)
    /// A word of the lemma is not in the English word list.
    case uncommon(word: String)
    /// Fewer mentions in the corpus than the dictionary's minimum (decided by `ClassDictionary`).
    case rare(mentions: Int, minimum: Int)

    public var isKept: Bool { self == .kept }

    /// A short stable code for TSV files and grouping.
    public var code: String {
        switch self {
        case .kept: "kept"
        case .functionWord: "function-word"
        case .verbContext: "verb"
        case .adjective: "adjective"
        case .blocklisted: "blocklist"
        case .unknown: "unknown"
        case .notTangible: "not-tangible"
        case .properName: "proper-name"
        case .uncommon: "uncommon"
        case .rare: "rare"
        }
    }

    /// The reason in words, naming the filter or the curation rule.
    public var explanation: String {
        switch self {
        case .kept: "passed every filter"
        case .functionWord(let c): "function word (\(c.rawValue))"
        case .verbContext(let why): "read as a verb: \(why)"
        case .adjective(let why): "read as an adjective: \(why)"
        case .blocklisted(let reason, let rule): "blocklisted at \(rule): \(reason)"
        case .unknown: "not a noun in the lexicon"
        case .notTangible(let sense, let lexFile): "not tangible: dominant sense \(sense) is \(lexFile)"
        case .properName(let sense): "proper name: \(sense) is an instance"
        case .uncommon(let word): "'\(word)' is not in the English word list"
        case .rare(let n, let minimum): "\(n) mention\(n == 1 ? "" : "s"), fewer than \(minimum)"
        }
    }
}

/// One stretch of a caption that names (or nearly names) a class.
public struct Candidate: Sendable {
    /// Token indices in the caption (`Tokenizer`), so words and their times line up.
    public var tokens: Range<Int>
    /// Span in the caption, in Unicode scalars.
    public var start: Int
    public var length: Int
    /// The matched text, normalised ("sneakers", "traffic lights").
    public var surface: String
    /// The lemma it was read as ("sneaker", "traffic light"); the surface when none.
    public var lemma: String
    /// The sense picked for the lemma (before merges), when one was.
    public var sense: Int32?
    /// The class synset, after merges; nil when no sense was picked.
    public var synset: Int32?
    public var verdict: Verdict
    /// Curation rules that changed the outcome (alias, sense override, merge, include).
    public var rules: [RuleSource]
    /// More than one tangible sense in different lexicographer files was eligible.
    public var ambiguous: Bool
    /// For a kept head whose chunk has a noun right before it that the lexicon does not know
    /// together with it ("bicycle helmet" kept as helmet): the two as one name and their
    /// span, which the dictionary build counts for review instead of losing.
    public var compound: Compound? = nil

    public struct Compound: Sendable, Equatable {
        public var text: String
        public var start: Int
        public var length: Int
    }
}

/// Finds noun mentions in captions and judges each one.
///
/// Rules, in order (documented in ARCHITECTURE.md; measured against human noun spans on VidLN):
/// 1. The caption is tokenised as in alignment. Punctuation between words, function words and
///    words read as verbs split it into chunks of content words.
/// 2. A word right after a modal or a pronoun is a verb ("we can see", "it looks"). A modal
///    right after a determiner, or beginning a known name, is a noun ("a can of soda", "can
///    opener"). A word ending in -ing or -ed is a
///    verb unless a determiner, quantifier, number or adjective precedes it, a verb precedes
///    it and it is a noun of the lexicon, or it begins a known phrase ("a woman holding", but
///    "the building", "a swimming pool", "we can see building", "we can see dining table"). An -s form right after a noun is a verb when
///    the tag counts say it is mostly one ("the man falls", but "car wheels", "trash cans").
/// 3. Each chunk is cut into the longest phrases the lexicon, the blocklist or the aliases
///    know ("fire hydrant", "ice cream"); the last phrase of a chunk is its head and the only
///    mention ("white shirt" → shirt, "coffee cup" → coffee cup).
/// 4. The head is judged: blocklist; alias; morphology; the sense (a `senses.tsv` override,
///    else `pickSense`: the first tangible sense among the dominant ones (sense 1 and any sense
///    tagged at least a quarter as often as the most tagged one), the food before the plant
///    and the animal before a person or substance where the lexicon has tag counts; when no
///    form has one, `fallback`: a tangible sense 1 or 2 or any tagged one, not a person);
///    proper names; merges; forced includes; the English word list.
public struct MentionExtractor: Sendable {
    public let lexicon: Lexicon
    public let curation: Curation
    public let wordList: WordList
    /// Per synset: its hypernym closure reaches a tangible root or its lexicographer file is
    /// allowed, and its lexicographer file is not denied.
    let tangible: [Bool]
    /// Proper word prefixes of every multiword lemma and curated phrase ("traffic" for
    /// "traffic light"): phrase matching extends a phrase only while it is one of these.
    let phrasePrefixes: Set<String>
    /// Whether the lexicon has sense tag counts (WordNet 3.0 and the shipped OEWN do, other
    /// WN-LMF files do not): without them every sense of a word is dominant, and `seenBefore`
    /// would make a man a hominid.
    var hasTagCounts: Bool { lexicon.hasNounTagCounts }
    /// person.n.01 and animal.n.01: a word whose first sense descends from one names someone
    /// who can act ("the man falls", "an animal runs").
    let agents: Set<Int32>

    public init(lexicon: Lexicon, curation: Curation, wordList: WordList) {
        self.lexicon = lexicon
        self.curation = curation
        self.wordList = wordList
        var prefixes: Set<String> = []
        for key in Array(lexicon.lemmaKeys) + Array(curation.blocklist.keys) + Array(curation.aliases.keys) {
            var end = key.startIndex
            while let space = key[end...].firstIndex(of: " ") {
                prefixes.insert(String(key[..<space]))
                end = key.index(after: space)
            }
        }
        phrasePrefixes = prefixes
        agents = Set(["person.n.01", "animal.n.01"].compactMap(lexicon.resolve))
        let roots = Set(curation.tangibleRoots.map(\.synset))
        let underRoot = Self.descends(lexicon, from: roots)
        // A root filed under a denied lexicographer file opens its own subtree there (coin,
        // which WordNet files as a possession).
        let opened = roots.filter { curation.deniedLexFiles[lexicon.synsets[Int($0)].lexFile] != nil }
        let underOpened = opened.isEmpty ? nil : Self.descends(lexicon, from: opened)
        var tangible = [Bool](repeating: false, count: lexicon.synsets.count)
        for i in lexicon.synsets.indices {
            let f = lexicon.synsets[i].lexFile
            tangible[i] =
                (curation.deniedLexFiles[f] == nil && (curation.allowedLexFiles[f] != nil || underRoot[i])) || underOpened?[i] == true
        }
        self.tangible = tangible
    }

    public func isTangible(_ synset: Int32) -> Bool { tangible[Int(synset)] }

    /// Per synset: its hypernym and instance closure reaches one of `roots`.
    static func descends(_ lexicon: Lexicon, from roots: Set<Int32>) -> [Bool] {
        // 0 unknown, 1 in progress, 2 reaches a root, 3 does not.
        var state = [UInt8](repeating: 0, count: lexicon.synsets.count)
        func reaches(_ s: Int32) -> Bool {
            switch state[Int(s)] {
            case 2: return true
            case 1, 3: return false
            default: break
            }
            state[Int(s)] = 1
            let node = lexicon.synsets[Int(s)]
            var result = roots.contains(s)
            if !result {
                for h in node.hypernyms + node.instanceOf where reaches(h) {
                    result = true
                    break
                }
            }
            state[Int(s)] = result ? 2 : 3
            return result
        }
        return lexicon.synsets.indices.map { reaches(Int32($0)) }
    }

    /// The mentions of a caption. With `includeSkipped`, content-looking words that the rules
    /// skipped (function words, verbs) are returned too, for explaining.
    public func candidates(in caption: String, includeSkipped: Bool = false) -> [Candidate] {
        var memo = ExtractionMemo()
        return candidates(in: caption, includeSkipped: includeSkipped, memo: &memo)
    }

    /// The same, reusing what `memo` holds from earlier captions (one memo per thread).
    public func candidates(in caption: String, includeSkipped: Bool = false, memo: inout ExtractionMemo) -> [Candidate] {
        candidates(in: caption, tokens: Tokenizer.tokens(in: caption), includeSkipped: includeSkipped, memo: &memo)
    }

    public func candidates(
        in caption: String, tokens: [Token], includeSkipped: Bool = false, memo: inout ExtractionMemo
    ) -> [Candidate] {
        guard !tokens.isEmpty else { return [] }
        memo.forgetIfFull()
        let gaps = Self.punctuationBefore(tokens, in: caption)
        let glued = gluedFunctionWords(tokens, gaps: gaps, memo: &memo)
        var result: [Candidate] = []
        var chunk: [Int] = []
        var previous: WordCategory?  // category of the previous token; nil for a content word
        var previousIsContent = false
        // For a function word: whether a content word came right before it ("shoes and", "grass is").
        var functionWordAfterContent = false

        func skip(_ i: Int, _ verdict: Verdict) {
            guard includeSkipped else { return }
            let t = tokens[i]
            result.append(
                Candidate(
                    tokens: i..<(i + 1), start: t.start, length: t.length, surface: t.normalized, lemma: t.normalized,
                    sense: nil, synset: nil, verdict: verdict, rules: [], ambiguous: false))
        }

        for i in tokens.indices {
            let word = tokens[i].normalized
            if gaps[i] {
                flush(&chunk, tokens, &result, memo: &memo)
                previous = nil
                previousIsContent = false
            }
            let facts = wordFacts(word, memo: &memo)
            var category = facts.category
            let modified = previous.map(Self.modifiers.contains) ?? false
            if category == .modal, modified || startsKnownPhrase(at: i, tokens, gaps: gaps, memo: &memo) {
                category = nil  // "a can of soda", "can opener"
            }
            if let category, !glued[i] {
                flush(&chunk, tokens, &result, memo: &memo)
                skip(i, .functionWord(category))
                functionWordAfterContent = previousIsContent
                previous = category
                previousIsContent = false
                continue
            }
            if let p = previous, p == .modal || p == .pronoun {
                flush(&chunk, tokens, &result, memo: &memo)
                skip(i, .verbContext("follows the \(p.rawValue) '\(tokens[i - 1].normalized)'"))
                previous = .verb
                previousIsContent = false
                continue
            }
            if let suffix = facts.verbSuffix {
                // Right after a verb, a noun of the lexicon is its object ("we can see building");
                // after a conjunction that follows a noun, one is that noun's peer ("shoes and railing").
                let nounReading = !lexicon.baseForms(of: word).isEmpty
                let object = previous == .verb && nounReading
                let peer = previous == .conjunction && functionWordAfterContent && nounReading
                if !modified, !object, !peer, !startsKnownPhrase(at: i, tokens, gaps: gaps, memo: &memo) {
                    flush(&chunk, tokens, &result, memo: &memo)
                    let context = previousIsContent ? "after a noun" : i == 0 ? "at the start" : "after '\(tokens[i - 1].normalized)'"
                    skip(i, .verbContext("-\(suffix) form \(context)"))
                    previous = .verb
                    previousIsContent = false
                    continue
                }
            }
            if previousIsContent, let reading = facts.verbReading, readsAsVerb(after: tokens[i - 1].normalized, word, memo: &memo) {
                flush(&chunk, tokens, &result, memo: &memo)
                skip(i, .verbContext("-s form after a noun, mostly a verb (\(reading.base): \(reading.verb) verb tags, \(reading.noun) noun tags)"))
                previous = .verb
                previousIsContent = false
                continue
            }
            if previousIsContent, let reading = facts.bareVerbReading,
                readsAsBareVerb(after: tokens[i - 1].normalized, word, memo: &memo)
            {
                flush(&chunk, tokens, &result, memo: &memo)
                skip(
                    i,
                    .verbContext(
                        "after the plural '\(tokens[i - 1].normalized)', mostly a verb (\(reading.verb) verb tags, \(reading.noun) noun tags)"))
                previous = .verb
                previousIsContent = false
                continue
            }
            // After a noun and "is", a word that can be an adjective and ends the phrase is said
            // of the noun ("the grass is dry", "the chairs are metal"; not "there is light").
            if previous == .auxiliary, functionWordAfterContent, lexicon.isAdjective(word),
                i + 1 == tokens.count || gaps[i + 1] || wordFacts(tokens[i + 1].normalized, memo: &memo).category != nil
            {
                skip(i, .adjective("said of the noun before '\(tokens[i - 1].normalized)'"))
                previous = .adjective
                previousIsContent = false
                continue
            }
            if chunk.isEmpty, isCoordinatedAdjective(at: i, tokens, gaps: gaps, memo: &memo) {
                skip(i, .adjective("coordinated with '\(tokens[i + 2].normalized)' before '\(tokens[i + 3].normalized)'"))
                previous = .adjective
                previousIsContent = false
                continue
            }
            chunk.append(i)
            previous = nil
            previousIsContent = true
        }
        flush(&chunk, tokens, &result, memo: &memo)
        return result
    }

    /// Whether the word at `i`, which can be an adjective, is one joined by a conjunction to
    /// another adjective before a content word: "dry and green trees", "plastic and metal
    /// chairs" (not "gold and silver." nor "salt and pepper").
    func isCoordinatedAdjective(at i: Int, _ tokens: [Token], gaps: [Bool], memo: inout ExtractionMemo) -> Bool {
        guard i + 3 < tokens.count, !gaps[i + 1], !gaps[i + 2], !gaps[i + 3], lexicon.isAdjective(tokens[i].normalized),
            wordFacts(tokens[i + 1].normalized, memo: &memo).category == .conjunction
        else { return false }
        let other = tokens[i + 2].normalized
        let otherCategory = wordFacts(other, memo: &memo).category
        return (otherCategory == .adjective || (otherCategory == nil && lexicon.isAdjective(other)))
            && wordFacts(tokens[i + 3].normalized, memo: &memo).category == nil
    }

    /// Whether the word at `i` and the next (no punctuation between) are a known phrase or
    /// begin one: an -ing or -ed word there names a thing ("washing machine", "dining table",
    /// "stuffed animal"), with or without an article before it.
    func startsKnownPhrase(at i: Int, _ tokens: [Token], gaps: [Bool], memo: inout ExtractionMemo) -> Bool {
        guard i + 1 < tokens.count, !gaps[i + 1] else { return false }
        return startsKnownPhrase(tokens[i].normalized, tokens[i + 1].normalized, memo: &memo)
    }

    /// Whether two words are a known phrase or begin one ("trash cans", "people mover").
    func startsKnownPhrase(_ first: String, _ second: String, memo: inout ExtractionMemo) -> Bool {
        let pair = phraseFacts(first + " " + second, memo: &memo)
        return pair.isKnown || pair.isPrefix
    }

    /// Whether a synset descends from person.n.01 or animal.n.01: someone who can act.
    func isAgent(_ synset: Int32) -> Bool { !lexicon.closure(synset).isDisjoint(with: agents) }

    /// Whether an -s form whose verb reading dominates (`verbDominantSForm`) is a verb after
    /// `previous`: the word before names someone who acts, its first sense a person or an
    /// animal (`agents`: "the man falls", "a person stands", "a zebra runs"; not "tree leaves",
    /// "metal watches", "brick sheds"), and cannot be an adjective ("dry leaves", "female
    /// ducks"); the two are not a known phrase or its start ("trash cans"); irregular noun
    /// plurals stay nouns ("leaves").
    func readsAsVerb(after previous: String, _ word: String, memo: inout ExtractionMemo) -> Bool {
        guard lexicon.exceptionBases(of: word).isEmpty, !lexicon.isAdjective(previous), let first = firstNounSense(of: previous),
            isAgent(first)
        else { return false }
        return !startsKnownPhrase(previous, word, memo: &memo)
    }

    /// An -s form ("falls", "watches", "flies") whose verb base has at least 3 tagged verb uses
    /// and more than 1.5 times the tagged noun uses of the word's noun readings (WordNet 3.0's
    /// counts, from sense-tagged prose): falls (fall: 116 verb, 28 noun), runs, stands, holds;
    /// not wheels (13, 17), signs (40, 36) or branches (0, 39). Measured on the labelled -s forms
    /// of OEWN's example sentences (`Benchmarks/vocab/pos.py`). Nil in a lexicon without verb
    /// tag counts.
    func verbDominantSForm(_ word: String) -> (base: String, verb: Int, noun: Int)? {
        guard lexicon.hasVerbTagCounts, word.hasSuffix("s"), !word.hasSuffix("ss"), word.unicodeScalars.count >= 3 else { return nil }
        var bases = [String(word.dropLast())]
        if word.hasSuffix("es") { bases.append(String(word.dropLast(2))) }
        if word.hasSuffix("ies") { bases.append(String(word.dropLast(3)) + "y") }
        guard let base = bases.max(by: { lexicon.verbTagCount($0) < lexicon.verbTagCount($1) }) else { return nil }
        let verb = lexicon.verbTagCount(base)
        let noun = lexicon.baseForms(of: word).map(lexicon.nounTagCount).max() ?? 0
        guard verb >= 3, Double(verb) > 1.5 * Double(noun) else { return nil }
        return (base, verb, noun)
    }

    /// A word that is a verb's base form, no noun plural, with at least 3 tagged verb uses and
    /// more than 1.5 times its tagged noun uses ("walk", "stand", "watch", "fly"; not "park",
    /// "light", "face").
    func verbDominantBareForm(_ word: String) -> (verb: Int, noun: Int)? {
        guard lexicon.hasVerbTagCounts, !lexicon.isPlural(word) else { return nil }
        let verb = lexicon.verbTagCount(word)
        let noun = lexicon.nounTagCount(word)
        guard verb >= 3, Double(verb) > 1.5 * Double(noun) else { return nil }
        return (verb, noun)
    }

    /// Whether a verb's base form after `previous` is a verb: `previous` names several who can
    /// act, a noun plural or an alias ("people") of a person or an animal, and the two are no
    /// known phrase ("people walk", "children play", "birds fly"; not "people mover").
    func readsAsBareVerb(after previous: String, _ word: String, memo: inout ExtractionMemo) -> Bool {
        guard !lexicon.isAdjective(previous) else { return false }
        let subject: Int32?
        if let alias = curation.alias(for: previous) {
            subject = alias.synset
        } else {
            let bases = lexicon.exceptionBases(of: previous) + Lexicon.detachedForms(of: previous).filter(lexicon.contains)
            subject = bases.first.flatMap { lexicon.senses(of: $0).first?.synset }
        }
        guard let subject, isAgent(subject) else { return false }
        return !startsKnownPhrase(previous, word, memo: &memo)
    }

    /// Function words inside a name the lexicon or the curation knows whole ("chest of
    /// drawers", "bow and arrow"), and adjectives that begin one ("blue jay"): for each content word, the longest known phrase starting
    /// there, within one stretch without punctuation, of three words or more, ending in a
    /// content word, with a function word inside, that would be kept as a class ("bread and
    /// butter", a livelihood, is not: bread and butter stay two mentions). Those function words are read as part of
    /// the name, so the name is one mention instead of its last word with another meaning.
    func gluedFunctionWords(_ tokens: [Token], gaps: [Bool], memo: inout ExtractionMemo) -> [Bool] {
        var glued = [Bool](repeating: false, count: tokens.count)
        for i in tokens.indices {
            let category = wordFacts(tokens[i].normalized, memo: &memo).category
            var first = i + 1
            var found: Int?
            if category == nil {
                found = longestName(from: i, words: 3, tokens, gaps: gaps, memo: &memo) { judged, _ in judged.verdict.isKept }
            } else if category == .adjective {
                // An adjective that begins a name kept as a class of its own, a kind of what
                // its last word names and not a person ("blue jay", "red panda", "black
                // pepper"; not "white house", a name, "white man", "black cat", a marten, nor
                // "pink lady", a cocktail).
                first = i
                found = longestName(from: i, words: 2, tokens, gaps: gaps, memo: &memo) { judged, lastWord in
                    guard judged.verdict.isKept, let sense = judged.sense else { return false }
                    return self.lexFileName(sense) != "noun.person" && self.isKind(sense, of: lastWord)
                }
            }
            guard let last = found else { continue }
            for k in first..<last where wordFacts(tokens[k].normalized, memo: &memo).category != nil { glued[k] = true }
        }
        return glued
    }

    /// The last token of the longest phrase of at least `words` words starting at `i`, without
    /// punctuation inside, ending in a content word, that the lexicon or the curation knows
    /// and whose verdict `accept` takes (given that last word too).
    func longestName(
        from i: Int, words: Int, _ tokens: [Token], gaps: [Bool], memo: inout ExtractionMemo, accept: (Candidate, String) -> Bool
    ) -> Int? {
        var key = tokens[i].normalized
        var end = i
        var best: Int?
        while end + 1 < tokens.count, !gaps[end + 1], phraseFacts(key, memo: &memo).isPrefix {
            end += 1
            key += " " + tokens[end].normalized
            guard end - i + 1 >= words, wordFacts(tokens[end].normalized, memo: &memo).category == nil,
                phraseFacts(key, memo: &memo).isKnown
            else { continue }
            if accept(verdict(of: key, memo: &memo), tokens[end].normalized) { best = end }
        }
        return best
    }

    /// The rules that look at one word alone: its closed class (`.number` for numerals), and
    /// whether it has a verb's -ing or -ed ending (words of six scalars or more).
    func wordFacts(_ word: String, memo: inout ExtractionMemo) -> ExtractionMemo.WordFacts {
        if let known = memo.words[word] { return known }
        var category = curation.functionWords[word]
        if word.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }) { category = .number }
        var suffix: String?
        if word.unicodeScalars.count >= 6 { suffix = word.hasSuffix("ing") ? "ing" : word.hasSuffix("ed") ? "ed" : nil }
        let facts = ExtractionMemo.WordFacts(
            category: category, verbSuffix: suffix, verbReading: category == nil && suffix == nil ? verbDominantSForm(word) : nil,
            bareVerbReading: category == nil && suffix == nil ? verbDominantBareForm(word) : nil,
            isNameModifier: isNameModifier(word))
        memo.words[word] = facts
        return facts
    }

    /// Whether `key` (one word or several) begins a longer known phrase, and whether it is a
    /// known phrase itself: a blocklist entry, an alias or a lemma after morphology.
    func phraseFacts(_ key: String, memo: inout ExtractionMemo) -> ExtractionMemo.PhraseFacts {
        if let known = memo.phrases[key] { return known }
        let facts = ExtractionMemo.PhraseFacts(
            isPrefix: phrasePrefixes.contains(key),
            isKnown: curation.blocklist[key] != nil || curation.alias(for: key) != nil || !lexicon.baseForms(of: key).isEmpty)
        memo.phrases[key] = facts
        return facts
    }

    /// For each token, whether punctuation (anything but spaces) separates it from the previous one.
    static func punctuationBefore(_ tokens: [Token], in caption: String) -> [Bool] {
        // ASCII text, nearly every caption: offsets in scalars are offsets in bytes.
        let ascii = caption.utf8.withContiguousStorageIfAvailable { bytes -> [Bool]? in
            guard Tokenizer.isASCII(bytes) else { return nil }
            var result = [Bool](repeating: false, count: tokens.count)
            for (i, t) in tokens.enumerated() where i > 0 {
                let previousEnd = tokens[i - 1].start + tokens[i - 1].length
                // Unicode's White_Space in ASCII: tab, line feed, vertical tab, form feed, return, space.
                result[i] = bytes[previousEnd..<t.start].contains { $0 != 0x20 && !(0x09...0x0D).contains($0) }
            }
            return result
        }
        if let found = ascii ?? nil { return found }
        var result = [Bool](repeating: false, count: tokens.count)
        var scalars = caption.unicodeScalars.makeIterator()
        var offset = 0
        var previousEnd = 0
        for (i, t) in tokens.enumerated() {
            var punctuation = false
            while offset < t.start, let s = scalars.next() {
                if offset >= previousEnd, !s.properties.isWhitespace { punctuation = true }
                offset += 1
            }
            while offset < t.start + t.length, scalars.next() != nil { offset += 1 }
            result[i] = punctuation && i > 0
            previousEnd = t.start + t.length
        }
        return result
    }

    /// Turns a finished chunk into its head mention.
    func flush(_ chunk: inout [Int], _ tokens: [Token], _ result: inout [Candidate], memo: inout ExtractionMemo) {
        guard !chunk.isEmpty else { return }
        defer { chunk.removeAll(keepingCapacity: true) }
        // Longest-match segmentation, left to right; the last unit is the head. A phrase grows
        // only while it is the prefix of some known phrase; morphology applies to its last word.
        var position = 0
        var head = 0..<1
        var before: Range<Int>?  // the unit before the head
        while position < chunk.count {
            var key = tokens[chunk[position]].normalized
            var best = 1
            var length = 1
            while position + length < chunk.count, phraseFacts(key, memo: &memo).isPrefix {
                key += " " + tokens[chunk[position + length]].normalized
                length += 1
                if phraseFacts(key, memo: &memo).isKnown { best = length }
            }
            if position > 0 { before = head }
            head = position..<(position + best)
            position += best
        }
        let range = chunk[head.lowerBound]..<(chunk[head.upperBound - 1] + 1)
        let surface = range.count == 1 ? tokens[range.lowerBound].normalized : range.map { tokens[$0].normalized }.joined(separator: " ")
        let first = tokens[range.lowerBound]
        let last = tokens[range.upperBound - 1]
        var candidate = verdict(of: surface, memo: &memo)
        candidate.tokens = range
        candidate.start = first.start
        candidate.length = last.start + last.length - first.start
        if let before, before.count == 1, candidate.verdict.isKept {
            let modifier = tokens[chunk[before.lowerBound]]
            if wordFacts(modifier.normalized, memo: &memo).isNameModifier {
                candidate.compound = Candidate.Compound(
                    text: modifier.normalized + " " + candidate.lemma, start: modifier.start, length: last.start + last.length - modifier.start)
            }
        }
        result.append(candidate)
    }

    /// Whether a word before a kept head (a unit of one word: in "ice cream cone" the unit
    /// before cone is ice cream, and no compound is counted) may make a name with it: a noun of the lexicon that
    /// cannot be an adjective ("wooden table" is a table) and whose first sense is not a
    /// substance ("steel rod" is a rod of steel; "bicycle helmet" and "street light" are names).
    func isNameModifier(_ word: String) -> Bool {
        guard !lexicon.isAdjective(word), let first = firstNounSense(of: word) else { return false }
        return lexicon.synsets[Int(first)].lexFile.name != "noun.substance"
    }

    /// The synset of sense 1 of a word's first noun base form, if it has one.
    func firstNounSense(of word: String) -> Int32? {
        lexicon.baseForms(of: word).first.flatMap { lexicon.senses(of: $0).first?.synset }
    }

    /// `judge`, remembered per surface.
    func verdict(of surface: String, memo: inout ExtractionMemo) -> Candidate {
        if let known = memo.verdicts[surface] { return known }
        let candidate = judge(surface)
        memo.verdicts[surface] = candidate
        return candidate
    }

    /// The verdict on one phrase, as `explain` reports it.
    public func judge(_ surface: String) -> Candidate {
        var c = Candidate(
            tokens: 0..<0, start: 0, length: 0, surface: surface, lemma: surface, sense: nil, synset: nil,
            verdict: .unknown, rules: [], ambiguous: false)
        if let blocked = curation.blocklist[surface] {
            c.verdict = .blocklisted(reason: blocked.reason, rule: blocked.rule)
            return c
        }
        var curated = false
        if let alias = curation.alias(for: surface) {
            c.sense = alias.synset
            c.lemma = lexicon.synsets[Int(alias.synset)].lemmas.first.map(Lexicon.key) ?? surface
            c.rules.append(alias.rule)
            curated = true
        } else {
            let forms = orderedBaseForms(of: surface)
            guard !forms.isEmpty else { return c }
            for form in forms {
                if let blocked = curation.blocklist[form] {
                    c.lemma = form
                    c.verdict = .blocklisted(reason: blocked.reason, rule: blocked.rule)
                    return c
                }
                if let override = curation.senseOverrides[form] {
                    c.lemma = form
                    c.sense = override.synset
                    c.rules.append(override.rule)
                    curated = true
                    break
                }
                if let pick = pickSense(form) {
                    c.lemma = form
                    c.sense = pick.synset
                    c.ambiguous = pick.ambiguous
                    break
                }
            }
            // Every form's dominant senses before any form's fallback.
            if c.sense == nil, !curated, let (form, fallback) = forms.lazy.compactMap({ f in self.fallback(f).map { (f, $0) } }).first {
                c.lemma = form
                c.sense = fallback.synset
                c.ambiguous = true
            }
            if c.sense == nil {
                c.lemma = forms[0]
                let senses = forms.flatMap { lexicon.senses(of: $0) }
                // Explained by the dominant sense: a proper name when it is an instance.
                if let dominant = senses.first, lexicon.synsets[Int(dominant.synset)].isInstance {
                    c.verdict = .properName(sense: lexicon.senseName(of: dominant.synset))
                } else if let dominant = senses.first {
                    c.verdict = .notTangible(
                        sense: lexicon.senseName(of: dominant.synset), lexFile: lexicon.synsets[Int(dominant.synset)].lexFile)
                }
                return c
            }
        }
        guard let sense = c.sense else { return c }
        let merged = curation.mergeTarget(sense)
        c.synset = merged.synset
        if let rule = merged.rule { c.rules.append(rule) }
        // A sense a review dropped is no class, whatever word read as it.
        if let exclude = curation.excludes[merged.synset] {
            c.verdict = .blocklisted(reason: exclude.reason, rule: exclude.rule)
            return c
        }
        if let include = curation.includes[merged.synset] {
            c.rules.append(include.rule)
            c.verdict = .kept
            return c
        }
        if !curated, let word = wordList.uncommonWord(in: c.lemma, surface: Lexicon.key(surface), isCommonNoun: isCommonNoun) {
            c.verdict = .uncommon(word: word)
            return c
        }
        c.verdict = .kept
        return c
    }

    /// The base forms of a surface the sense is looked for in: those the word list has first;
    /// in each group the surface itself when it is a lemma ("glasses", "shorts"), then the
    /// others by tagged noun uses, most first ("vases" is a vase, 12 tags, before a vas, none),
    /// then in the lexicon's order.
    func orderedBaseForms(of surface: String) -> [String] {
        let all = lexicon.baseForms(of: surface).nonEmpty ?? splitCompoundForms(of: surface)
        return all.enumerated().sorted { a, b in
            let listed = (wordList.contains(a.element), wordList.contains(b.element))
            if listed.0 != listed.1 { return listed.0 }
            let itself = (a.element == surface, b.element == surface)
            if itself.0 != itself.1 { return itself.0 }
            let tags = (lexicon.nounTagCount(a.element), lexicon.nounTagCount(b.element))
            return tags.0 != tags.1 ? tags.0 > tags.1 : a.offset < b.offset
        }.map(\.element)
    }

    /// Whether `synset` is, or is a kind of, a sense of `word` (a blue jay is a jay).
    func isKind(_ synset: Int32, of word: String) -> Bool {
        let senses = Set(lexicon.baseForms(of: word).flatMap { lexicon.senses(of: $0).map(\.synset) })
        return !lexicon.closure(synset).isDisjoint(with: senses)
    }

    /// The base forms of a one-word name the lexicon knows only written apart ("coffeemaker"
    /// → coffee maker, "lifejackets" → life jacket): the first split, from the left, into two
    /// pieces of at least three letters whose spaced form has base forms.
    func splitCompoundForms(of surface: String) -> [String] {
        surface.cutsInTwo().lazy.map { self.lexicon.baseForms(of: $0.left + " " + $0.right) }.first { !$0.isEmpty } ?? []
    }

    /// Whether the lexicon has the key as a noun with a sense that is not an instance (a
    /// common noun, not only a name).
    func isCommonNoun(_ key: String) -> Bool {
        lexicon.senses(of: key).contains { !lexicon.synsets[Int($0.synset)].isInstance }
    }

    /// The sense an image description most likely means by a lemma key: among its tangible,
    /// non-instance dominant senses (sense 1 and any tagged at least a quarter as often as the
    /// most tagged one; every sense when sense 1 is tangible and no sense is tagged more than
    /// once, as one tag is no evidence) the first, unless a later one is what is seen where the
    /// first is what it comes from or stands for (`seenBefore`, an animal first: the food before
    /// the plant, the animal before a person or a substance, the object before a person; in a
    /// lexicon with tag counts, which keep
    /// frequent words such as "man" and "grass" on their first sense). A chosen sense filed as
    /// communication gives way to the word's `physicalCarrier` (the bound book, the television
    /// set). Nil when no dominant sense is tangible: `judge` then tries `fallback` on every form
    /// (a football is seen, the game is not), marked ambiguous.
    func pickSense(_ key: String) -> (synset: Int32, ambiguous: Bool)? {
        let senses = lexicon.senses(of: key)
        let most = senses.reduce(0) { max($0, $1.count) }
        let eligible = senses.filter { isEligible($0.synset) }
        let weakTags = most <= 1 && eligible.first?.number == 1
        let dominant = eligible.filter { $0.number == 1 || most == 0 || weakTags || $0.count * 4 >= most }
        guard var chosen = dominant.first else { return nil }
        let first = lexFileName(chosen.synset)
        let seen = dominant.filter { Self.seenBefore[lexFileName($0.synset)]?.contains(first) == true }
        if hasTagCounts, let better = seen.first(where: { lexFileName($0.synset) == "noun.animal" }) ?? seen.first {
            chosen = better
        }
        if hasTagCounts, lexFileName(chosen.synset) == "noun.communication", let carrier = physicalCarrier(in: eligible) {
            chosen = carrier
        }
        let file = lexicon.synsets[Int(chosen.synset)].lexFile
        return (chosen.synset, dominant.contains { lexicon.synsets[Int($0.synset)].lexFile != file })
    }

    /// The thing a picture shows for a word whose chosen sense is a communication (a book's
    /// text, a broadcast): its first artifact sense among the first three or the tagged ones
    /// ("book" → the bound volume, "television" → the receiver).
    func physicalCarrier(in eligible: [Sense]) -> Sense? {
        eligible.first { ($0.number <= 3 || $0.count > 0) && lexFileName($0.synset) == "noun.artifact" }
    }

    func lexFileName(_ synset: Int32) -> String { lexicon.synsets[Int(synset)].lexFile.name }

    /// Without a tangible dominant sense in any form: the first tangible sense that is sense 1 or 2 or has
    /// been tagged at all, and is not a person (a person sense of a word that is not a
    /// person's name is figurative: a bill poster, an informer); or, where sense 1 is
    /// something done, said, thought or gathered (`thingBehind`), the first made thing among
    /// the first four senses (the racket's noise and the racket, the tap's sound and the tap, a
    /// principle and a pillar). A football (the ball is sense 2) is kept; "event" (the physics
    /// sense 3, never tagged), "measure" and "motive" (a motif, sense 3) are not.
    func fallback(_ key: String) -> Sense? {
        let all = lexicon.senses(of: key)
        let senses = all.filter { isEligible($0.synset) && lexFileName($0.synset) != "noun.person" }
        if let sense = senses.first(where: { $0.number <= 2 || $0.count > 0 }) { return sense }
        guard let first = all.first, Self.thingBehind.contains(lexFileName(first.synset)) else { return nil }
        return senses.first { $0.number <= 4 && lexFileName($0.synset) == "noun.artifact" }
    }

    /// Lexicographer files of a word's first sense that a made thing may stand behind.
    static let thingBehind: Set<String> = ["noun.event", "noun.act", "noun.communication", "noun.cognition", "noun.group"]

    /// A sense that may name a class: tangible (or included) and not an instance.
    func isEligible(_ synset: Int32) -> Bool {
        (isTangible(synset) || curation.includes[synset] != nil) && !lexicon.synsets[Int(synset)].isInstance
    }

    /// The categories before a word that make it a noun ("a can", "the building").
    static let modifiers: Set<WordCategory> = [.determiner, .quantifier, .number, .adjective]

    /// Lexicographer files whose sense an image shows rather than the listed ones' sense of
    /// the same word: a banana photographed is the fruit (noun.food), not the plant; a canary
    /// the bird, not the informer; an alpaca the animal, not its wool; a toaster the
    /// appliance and a tart the pastry, not a person the word is said of.
    static let seenBefore: [String: Set<String>] = [
        "noun.food": ["noun.plant", "noun.person"],
        "noun.animal": ["noun.person", "noun.substance"],
        "noun.artifact": ["noun.person"],
    ]
}

/// What extraction has worked out about words and phrases, kept across the captions one
/// thread reads. Every rule that looks at a word or a phrase alone depends on its text only,
/// and a corpus repeats its words, so each is worked out once per distinct text. It forgets
/// everything past `capacity` entries, so memory stays bounded on any corpus.
public struct ExtractionMemo: Sendable {
    struct WordFacts: Sendable {
        var category: WordCategory?
        var verbSuffix: String?
        /// For an -s form whose verb reading dominates its noun reading in the tag counts:
        /// the verb's base form and both counts (`verbDominantSForm`).
        var verbReading: (base: String, verb: Int, noun: Int)?
        /// For a word that is no noun plural and whose verb reading dominates its noun reading:
        /// both counts (`verbDominantBareForm`).
        var bareVerbReading: (verb: Int, noun: Int)?
        /// `isNameModifier`: the word before a kept head may make a compound with it.
        var isNameModifier: Bool
    }
    struct PhraseFacts: Sendable {
        var isPrefix: Bool
        var isKnown: Bool
    }
    var words: [String: WordFacts] = [:]
    var phrases: [String: PhraseFacts] = [:]
    /// `judge`'s candidate per surface (its span fields are set per mention).
    var verdicts: [String: Candidate] = [:]
    let capacity: Int

    public init(capacity: Int = 200_000) { self.capacity = capacity }

    mutating func forgetIfFull() {
        if words.count + phrases.count + verdicts.count > capacity {
            words = [:]
            phrases = [:]
            verdicts = [:]
        }
    }
}

extension Array {
    /// The array, nil when empty.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
