import Lexicon
import Support

/// An English word list (Debian `wamerican-large`: `/usr/share/dict/american-english-large`,
/// SCOWL size 70; `wamerican-small`/`wamerican`/`-huge`/`-insane` are sizes 35/50/80/95). A class lemma is
/// "common" when every word of it is (`isCommon`).
///
/// Entries starting with a capital are proper names ("Nike") or words a name begins
/// ("Christmas"); they count only for words the lexicon knows as common nouns. Possessives
/// ("dog's") add nothing and are left out. Entries are normalised like captions (lower case,
/// hyphens dropped).
public struct WordList: Sendable {
    public let path: String
    let words: Set<String>
    /// Entries that start with a capital, normalised.
    let capitalised: Set<String>

    public static let defaultPath = "/usr/share/dict/american-english-large"

    public init(path: String = WordList.defaultPath) throws(PointillistError) {
        guard let text = try TSV.readText(path, optional: false) else { throw PointillistError(file: path, reason: "missing") }
        var words: Set<String> = []
        var capitalised: Set<String> = []
        words.reserveCapacity(120_000)
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            guard !line.contains(UInt8(ascii: "'")) else { continue }
            // Nearly every entry is lower-case ASCII letters, its own key; the others are
            // normalised as captions are.
            let key: String
            let upper: Bool
            if line.allSatisfy({ $0 &- UInt8(ascii: "a") < 26 }) {
                key = String(decoding: line, as: UTF8.self)
                upper = false
            } else {
                let entry = String(decoding: line, as: UTF8.self)
                key = Lexicon.key(entry)
                upper = entry.first?.isUppercase == true
            }
            guard !key.isEmpty, !key.contains(" ") else { continue }
            if upper { capitalised.insert(key) } else { words.insert(key) }
        }
        guard !words.isEmpty else { throw PointillistError(file: path, reason: "no common words in the list") }
        self.path = path
        self.words = words
        self.capitalised = capitalised
    }

    public var count: Int { words.count }

    public func contains(_ word: String) -> Bool { words.contains(word) }

    /// Whether a word of a lemma counts as common: the list has it, or has it as written in
    /// the caption (`surface`: "jeans" for the lemma "jean"), or with an "s" ("billiards"), or
    /// it is two listed words of at least three letters joined ("countertop"), or the list has
    /// it capitalised and `isCommonNoun` says the lexicon knows it as a common noun
    /// ("christmas", not "nike").
    public func isCommon(_ word: String, surface: String? = nil, isCommonNoun: (String) -> Bool) -> Bool {
        if words.contains(word) || surface.map(words.contains) == true || words.contains(word + "s") { return true }
        if word.cutsInTwo().contains(where: { words.contains($0.left) && words.contains($0.right) }) { return true }
        return capitalised.contains(word) && isCommonNoun(word)
    }

    /// The first word of a lemma key that is not common (`isCommon`), or nil when all are.
    /// `surface` is the text as written, word for word when it has as many words. In a name
    /// `isCommonNoun` knows whole, a word before the last counts when the list has it
    /// capitalised: the place or person a kind is named after ("atlantic salmon",
    /// "chesapeake bay retriever"), never the kind's own word.
    public func uncommonWord(in key: String, surface: String? = nil, isCommonNoun: (String) -> Bool = { _ in false }) -> String? {
        let lemmaWords = key.split(separator: " ").map(String.init)
        let written = surface.map { $0.split(separator: " ").map(String.init) } ?? []
        let knownWhole = lemmaWords.count > 1 && isCommonNoun(key)
        return lemmaWords.indices.first { i in
            if knownWhole, i < lemmaWords.count - 1, capitalised.contains(lemmaWords[i]) { return false }
            return !isCommon(lemmaWords[i], surface: written.count == lemmaWords.count ? written[i] : nil, isCommonNoun: isCommonNoun)
        }.map { lemmaWords[$0] }
    }
}

extension String {
    /// Every cut of a one-word string into two pieces of at least `minimum` Unicode scalars,
    /// from the left ("coffeemaker": cof|feemaker … coffee|maker … coffeem|aker).
    func cutsInTwo(minimum: Int = 3) -> [(left: String, right: String)] {
        let scalars = Array(unicodeScalars)
        guard scalars.count >= 2 * minimum, !contains(" ") else { return [] }
        return (minimum...(scalars.count - minimum)).map { cut in
            (String(String.UnicodeScalarView(scalars[..<cut])), String(String.UnicodeScalarView(scalars[cut...])))
        }
    }
}
