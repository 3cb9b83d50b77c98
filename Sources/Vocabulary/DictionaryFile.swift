import Glibc
import Lexicon
import Narratives
import Support

/// The dictionary TSV: a header row of `ClassEntry.columns`, then one class per row in id
/// order. It is the file a team commits under `Vocab/` and the source of stable ids. Classes
/// an earlier build had and this one does not follow as comment lines, `# retired` with id,
/// synset, sense and name, so that their ids are never given to another class (questions may
/// still name them) and a class that comes back gets its own again.
public enum DictionaryFile {
    static let retiredMark = "# retired"

    public static func write(_ classes: [ClassEntry], retired: [ClassEntry] = [], to path: String) throws(PointillistError) {
        var text = ClassEntry.columns.joined(separator: "\t") + "\n"
        for c in classes.sorted(by: { $0.id < $1.id }) { text += c.fields.joined(separator: "\t") + "\n" }
        for r in retired.sorted(by: { $0.id < $1.id }) {
            text += [retiredMark, String(r.id), r.synset, r.sense, r.name].map(TSV.clean).joined(separator: "\t") + "\n"
        }
        try PointillistError.replacingFile(path, with: text)
    }

    /// The retired classes of a dictionary file (id, synset, sense and name); empty when the
    /// file does not exist.
    public static func retired(_ path: String) throws(PointillistError) -> [ClassEntry] {
        guard access(path, F_OK) == 0 else { return [] }
        return try parse(path).retired
    }

    /// Reads a dictionary written by `write` (or edited by hand, keeping the header).
    public static func read(_ path: String) throws(PointillistError) -> [ClassEntry] {
        try parse(path).classes
    }

    /// The classes and the retired classes of a dictionary file, read once.
    static func parse(_ path: String) throws(PointillistError) -> (classes: [ClassEntry], retired: [ClassEntry]) {
        guard let text = try TSV.readText(path, optional: false) else { return ([], []) }
        var lines = text.fileLines(omittingEmpty: false)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw PointillistError(file: path, line: 1, reason: "empty file: expected a header row")
        }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() { index[name] = i }
        for required in ["id", "synset"] where index[required] == nil {
            throw PointillistError(file: path, line: 1, field: required, reason: "header has no '\(required)' column")
        }
        var result: [ClassEntry] = []
        var seenIDs: [Int: Int] = [:]
        var seenSynsets: [String: Int] = [:]
        var retired: [ClassEntry] = []
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let number = n + 1
            if line.hasPrefix(retiredMark + "\t") {
                retired.append(try retiredClass(line, path: path, line: number))
                continue
            }
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw PointillistError(file: path, line: number, reason: "\(fields.count) columns, the header has \(header.count)")
            }
            func field(_ name: String) -> String { index[name].map { fields[$0] } ?? "" }
            func integer(_ name: String) throws(PointillistError) -> Int {
                let text = field(name)
                if text.isEmpty, name != "id" { return 0 }
                guard let v = Int(text), v >= 0 else {
                    throw PointillistError(file: path, line: number, field: name, reason: "'\(text)' is not a non-negative integer")
                }
                return v
            }
            let id = try integer("id")
            guard id > 0 else { throw PointillistError(file: path, line: number, field: "id", reason: "ids start at 1") }
            let synset = field("synset")
            guard !synset.isEmpty else { throw PointillistError(file: path, line: number, field: "synset", reason: "empty") }
            if let earlier = seenIDs[id] {
                throw PointillistError(file: path, line: number, field: "id", reason: "id \(id) is also on line \(earlier)")
            }
            if let earlier = seenSynsets[synset] {
                throw PointillistError(file: path, line: number, field: "synset", reason: "\(synset) is also on line \(earlier)")
            }
            seenIDs[id] = number
            seenSynsets[synset] = number
            let example = field("example")
            result.append(
                ClassEntry(
                    id: id, name: field("name"), sense: field("sense"), synset: synset, ili: field("ili"),
                    lexFile: field("lexfile"), mentions: try integer("mentions"), images: try integer("images"),
                    train: field("train") == "1", openImagesMID: field("oi_mid"), openImagesName: field("oi_name"),
                    ambiguous: try integer("ambiguous"), variants: field("variants"), gloss: field("gloss"),
                    example: example, rules: field("rules"), examples: example.isEmpty ? [] : [example]))
        }
        return (result, retired)
    }

    /// A `# retired` line: id, synset, sense and name.
    static func retiredClass(_ line: Substring, path: String, line number: Int) throws(PointillistError) -> ClassEntry {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 5, let id = Int(f[1]), id > 0, !f[2].isEmpty else {
            throw PointillistError(file: path, line: number, reason: "a retired class is '# retired', id, synset, sense, name")
        }
        return ClassEntry(
            id: id, name: f[4], sense: f[3], synset: f[2], ili: "", lexFile: "", mentions: 0, images: 0, train: false,
            openImagesMID: "", openImagesName: "", ambiguous: 0, variants: "", gloss: "", example: "", rules: "", examples: [])
    }

    /// Synset id → class id of an existing dictionary, its retired classes included; empty
    /// when the file does not exist.
    public static func ids(_ path: String) throws(PointillistError) -> [String: Int] {
        Dictionary(try entries(path).map { ($0.synset, $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every class of an existing dictionary, its retired ones after; empty when the file does
    /// not exist.
    public static func entries(_ path: String) throws(PointillistError) -> [ClassEntry] {
        guard access(path, F_OK) == 0 else { return [] }
        let (classes, retired) = try parse(path)
        return classes + retired
    }

    /// `ids(path)` with synset ids of `lexicon` (see `ids(of:lexicon:)`).
    public static func ids(_ path: String, lexicon: Lexicon) throws(PointillistError) -> [String: Int] {
        ids(of: try entries(path), lexicon: lexicon)
    }

    /// Synset id → class id of `entries` with synset ids of `lexicon`: a class whose synset the
    /// lexicon lacks (a dictionary built with another lexicon: WordNet 3.0 offsets against OEWN
    /// ids) keeps its id on the synset `LexiconMatch` finds for it, so a switch of lexicon
    /// keeps class ids.
    public static func ids(of entries: [ClassEntry], lexicon: Lexicon) -> [String: Int] {
        var result: [String: Int] = [:]
        var unmatched: [ClassEntry] = []
        for entry in entries {
            if lexicon.resolve(entry.synset) != nil { result[entry.synset] = entry.id } else { unmatched.append(entry) }
        }
        for entry in unmatched {
            // A class found nowhere keeps its id under its old synset id, which no class of
            // this lexicon can have: new classes are still numbered above every old id.
            guard let synset = LexiconMatch.synset(of: entry, in: lexicon), result[lexicon.synsets[Int(synset)].id] == nil else {
                result[entry.synset] = entry.id
                continue
            }
            result[lexicon.synsets[Int(synset)].id] = entry.id
        }
        return result
    }
}

/// The synset of one lexicon that names the same concept as a dictionary class from another:
/// among the senses of the class's lemma (its sense name's, else its name's) in the same
/// lexicographer file, the one whose gloss shares the most words with the class's (the share
/// of distinct words of three letters or more, over both glosses), if it shares at least a
/// fifth, or if it is the only one. Open English WordNet rewrites some glosses and renumbers
/// every synset, but keeps lemmas and lexicographer files (a review of 1,388 class senses
/// matched 1,373 by gloss alone).
public enum LexiconMatch {
    public static func synset(of entry: ClassEntry, in lexicon: Lexicon) -> Int32? {
        let parts = entry.sense.split(separator: ".", omittingEmptySubsequences: false)
        let lemma = parts.count >= 3 && parts[parts.count - 2] == "n" ? parts.dropLast(2).joined(separator: ".") : entry.sense
        for key in [Lexicon.key(lemma), Lexicon.key(entry.name)] where !key.isEmpty {
            let candidates = lexicon.senses(of: key).map(\.synset).filter { lexicon.synsets[Int($0)].lexFile.name == entry.lexFile }
            guard !candidates.isEmpty else { continue }
            if candidates.count == 1 { return candidates[0] }
            let words = glossWords(entry.gloss)
            let scored = candidates.map { ($0, overlap(words, glossWords(lexicon.synsets[Int($0)].gloss))) }
            if let best = scored.max(by: { $0.1 < $1.1 }), best.1 >= 0.2, scored.filter({ $0.1 == best.1 }).count == 1 { return best.0 }
        }
        return nil
    }

    static func glossWords(_ gloss: String) -> Set<String> {
        Set(gloss.lowercased().split { !$0.isLetter }.map(String.init).filter { $0.count >= 3 })
    }

    static func overlap(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }
}

extension PointillistError {
    /// Replaces the text file at `path` through `FileSystem.writeAtomically` (durably), with
    /// its failure as a `PointillistError` naming the file.
    static func replacingFile(_ path: String, with text: String) throws(PointillistError) {
        do {
            try FileSystem.writeAtomically(to: path) { try $0.write(text) }
        } catch let error as PointillistError {
            throw error
        } catch {
            throw PointillistError(file: path, reason: "cannot write: \(error)")
        }
    }
}

/// The Open Images class list (`MID,DisplayName`, no header, CSV quoting), for mapping
/// classes to the ids Open Images labels use.
public struct OpenImagesClasses: Sendable {
    public let path: String
    let byName: [String: (mid: String, name: String)]
    let names: [String: String]
    /// Every class in the file's order.
    public let entries: [(mid: String, name: String)]
    public var count: Int { entries.count }

    public init(path: String) throws(PointillistError) {
        guard let text = try TSV.readText(path, optional: false) else { throw PointillistError(file: path, reason: "missing") }
        var byName: [String: (String, String)] = [:]
        var names: [String: String] = [:]
        var entries: [(mid: String, name: String)] = []
        let (records, failure) = CSV.records(text)
        if let failure { throw PointillistError(file: path, line: failure.line, reason: "expected MID,DisplayName: \(failure.reason)") }
        for record in records where !record.isBlank {
            let fields = record.fields
            guard fields.count == 2, fields[0].hasPrefix("/m/") || fields[0].hasPrefix("/g/") else {
                throw PointillistError(file: path, line: record.line, reason: "expected MID,DisplayName")
            }
            entries.append((fields[0], fields[1]))
            let key = Lexicon.key(fields[1])
            if byName[key] == nil { byName[key] = (fields[0], fields[1]) }
            if names[fields[0]] == nil { names[fields[0]] = fields[1] }
        }
        self.path = path
        self.byName = byName
        self.names = names
        self.entries = entries
    }

    /// The display name of a MID, nil when the list lacks it.
    public func name(of mid: String) -> String? { names[mid] }

    /// The first Open Images class whose name equals the class name or one of the synset's
    /// lemmas (compared as lemma keys: case, hyphens and spaces do not matter).
    public func match(name: String, lemmas: [String]) -> (mid: String, name: String)? {
        for candidate in [name] + lemmas {
            if let hit = byName[Lexicon.key(candidate)] { return hit }
        }
        return nil
    }
}
