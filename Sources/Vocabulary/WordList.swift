import Lexicon
import Support

/// An English word list (Debian `wamerican`: `/usr/share/dict/american-english`, SCOWL size 50;
/// `wamerican-small`/`-large`/`-huge`/`-insane` are sizes 35/70/80/95). A class lemma is
/// "common" when every word of it is in the list.
///
/// Only common words count: entries starting with a capital are proper names ("Nike") and
/// possessives ("dog's") add nothing, so both are left out. Entries are normalised like
/// captions (lower case, hyphens dropped).
public struct WordList: Sendable {
    public let path: String
    let words: Set<String>

    public static let defaultPath = "/usr/share/dict/american-english"

    public init(path: String = WordList.defaultPath) throws(PointillistError) {
        guard let text = try TSV.readText(path, optional: false) else { throw PointillistError(file: path, reason: "missing") }
        var words: Set<String> = []
        words.reserveCapacity(110_000)
        for line in text.split(separator: "\n") {
            guard let first = line.first, !first.isUppercase, !line.contains("'") else { continue }
            let key = Lexicon.key(String(line))
            if !key.isEmpty, !key.contains(" ") { words.insert(key) }
        }
        guard !words.isEmpty else { throw PointillistError(file: path, reason: "no common words in the list") }
        self.path = path
        self.words = words
    }

    public var count: Int { words.count }

    public func contains(_ word: String) -> Bool { words.contains(word) }

    /// The first word of a lemma key that is not in the list, or nil when all are.
    public func uncommonWord(in key: String) -> String? {
        key.split(separator: " ").first { !words.contains(String($0)) }.map(String.init)
    }
}
