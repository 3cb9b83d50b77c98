import Glibc
import Lexicon
import Support

/// Where a curation decision comes from, so every verdict can name the rule that fired.
public struct RuleSource: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The rule as written, columns joined by " → " ("people → person.n.01").
    public var entry: String
    public var description: String { "\(file):\(line)" }
}

/// The grammatical role of a closed-class word, which the mention rules look at.
public enum WordCategory: String, Sendable, CaseIterable {
    case determiner, pronoun, preposition, conjunction, auxiliary, modal, adverb, quantifier, number,
        adjective, verb, other
}

/// The linguist-owned files in `Vocab/`, parsed and checked against the lexicon. Each is TSV
/// with `#` comments and blank lines allowed; see `Vocab/README.md` for their meaning.
///
/// | file | columns |
/// |---|---|
/// | `function-words.tsv` | word, category (`WordCategory`) |
/// | `blocklist.tsv` | word or phrase, reason |
/// | `aliases.tsv` | word or phrase, sense (`person.n.01` or a synset id) |
/// | `senses.tsv` | lemma, sense: the sense to use instead of the most frequent tangible one |
/// | `merges.tsv` | sense, sense it merges into |
/// | `mids.tsv` | sense, Open Images MID (or `-`): the MIDs a class carries instead of the name match |
/// | `includes.tsv` | sense, reason: kept whatever the filters say |
/// | `excludes.tsv` | sense, reason: never a class, whatever word reads as it (a review's `drop`) |
/// | `tangible.tsv` | `root` + sense, `deny-lexfile` + name, or `allow-lexfile` + name |
public struct Curation: Sendable {
    public var functionWords: [String: WordCategory] = [:]
    public var blocklist: [String: (reason: String, rule: RuleSource)] = [:]
    public var aliases: [String: (synset: Int32, rule: RuleSource)] = [:]

    public var senseOverrides: [String: (synset: Int32, rule: RuleSource)] = [:]
    public var merges: [Int32: (into: Int32, rule: RuleSource)] = [:]
    public var includes: [Int32: (reason: String, rule: RuleSource)] = [:]
    public var excludes: [Int32: (reason: String, rule: RuleSource)] = [:]
    public var tangibleRoots: [(synset: Int32, rule: RuleSource)] = []
    public var deniedLexFiles: [LexFile: RuleSource] = [:]
    public var allowedLexFiles: [LexFile: RuleSource] = [:]
    /// Open Images MIDs by sense (`mids.tsv`), in file order; an empty list: no MID.
    public var mids: [Int32: (mids: [String], rule: RuleSource)] = [:]
    /// `mids.tsv` rows naming a synset id this lexicon lacks (the file lists the ids of each
    /// supported lexicon; a build uses its own).
    public var midRowsOfOtherLexicons = 0
    public var directory: String

    public static let fileNames = [
        "function-words.tsv", "blocklist.tsv", "aliases.tsv", "senses.tsv", "merges.tsv", "includes.tsv", "excludes.tsv",
        "tangible.tsv", "mids.tsv",
    ]

    /// Reads every curation file of `directory`. A missing file is an empty list, except
    /// `tangible.tsv`, which must name at least one root. Nothing is returned half-read:
    /// the first error aborts.
    /// The alias of a word or phrase as written, else, for a phrase, of a form with its last
    /// word detached as a noun plural ("street lights" finds the alias "street light"). A
    /// single word is matched as written only, so an alias of "glass" leaves "glasses" to the
    /// lexicon (spectacles).
    public func alias(for key: String) -> (synset: Int32, rule: RuleSource)? {
        if let exact = aliases[key] { return exact }
        guard key.contains(" ") else { return nil }
        return Lexicon.detachedForms(of: key).lazy.compactMap { aliases[$0] }.first
    }

    public init(directory: String, lexicon: Lexicon) throws(PointillistError) {
        self.directory = directory
        func path(_ name: String) -> String { directory + "/" + name }
        func sense(_ text: String, _ file: String, _ line: Int, _ field: String) throws(PointillistError) -> Int32 {
            guard let s = lexicon.resolve(text) else {
                throw PointillistError(file: file, line: line, field: field, reason: "'\(text)' is not a noun sense in \(lexicon.source)")
            }
            return s
        }
        func phrase(_ text: String, _ file: String, _ line: Int, _ field: String) throws(PointillistError) -> String {
            let key = Lexicon.key(text)
            guard !key.isEmpty else { throw PointillistError(file: file, line: line, field: field, reason: "empty word or phrase") }
            return key
        }

        try TSV.read(path("function-words.tsv"), columns: ["word", "category"], optional: true) { (row) throws(PointillistError) in
            let word = try phrase(row[0], row.file, row.line, "word")
            guard let category = WordCategory(rawValue: row[1]) else {
                throw PointillistError(
                    file: row.file, line: row.line, field: "category",
                    reason: "'\(row[1])' is not one of \(WordCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            functionWords[word] = category
        }
        try TSV.read(path("blocklist.tsv"), columns: ["word", "reason"], optional: true) { (row) throws(PointillistError) in
            let key = try phrase(row[0], row.file, row.line, "word")
            blocklist[key] = (row[1], row.source)
        }
        try TSV.read(path("aliases.tsv"), columns: ["phrase", "sense"], optional: true) { (row) throws(PointillistError) in
            let key = try phrase(row[0], row.file, row.line, "phrase")
            aliases[key] = (try sense(row[1], row.file, row.line, "sense"), row.source)
        }
        try TSV.read(path("senses.tsv"), columns: ["lemma", "sense"], optional: true) { (row) throws(PointillistError) in
            let key = try phrase(row[0], row.file, row.line, "lemma")
            guard lexicon.contains(key) else {
                throw PointillistError(file: row.file, line: row.line, field: "lemma", reason: "'\(row[0])' is not a noun lemma in \(lexicon.source)")
            }
            senseOverrides[key] = (try sense(row[1], row.file, row.line, "sense"), row.source)
        }
        try TSV.read(path("merges.tsv"), columns: ["sense", "into"], optional: true) { (row) throws(PointillistError) in
            let from = try sense(row[0], row.file, row.line, "sense")
            let into = try sense(row[1], row.file, row.line, "into")
            guard from != into else {
                throw PointillistError(file: row.file, line: row.line, field: "into", reason: "a sense cannot merge into itself")
            }
            merges[from] = (into, row.source)
        }
        try TSV.read(path("includes.tsv"), columns: ["sense", "reason"], optional: true) { (row) throws(PointillistError) in
            includes[try sense(row[0], row.file, row.line, "sense")] = (row[1], row.source)
        }
        try TSV.read(path("excludes.tsv"), columns: ["sense", "reason"], optional: true) { (row) throws(PointillistError) in
            excludes[try sense(row[0], row.file, row.line, "sense")] = (row[1], row.source)
        }
        var noMID: Set<Int32> = []  // senses with a "-" row: no MID whatever other rows say
        try TSV.read(path("mids.tsv"), columns: ["sense", "mid"], optional: true) { (row) throws(PointillistError) in
            let mid = row[1]
            guard mid == "-" || ((mid.hasPrefix("/m/") || mid.hasPrefix("/g/")) && mid.count > 3 && !mid.contains(" ")) else {
                throw PointillistError(file: row.file, line: row.line, field: "mid", reason: "'\(mid)' is not an Open Images MID (/m/…) or -")
            }
            // A synset id of another lexicon's scheme ("oewn-…" against WordNet 3.0's bare
            // offsets) is skipped; an id of this lexicon's scheme or a sense name must resolve.
            func scheme(_ id: String) -> Substring { id.prefix { !$0.isNumber } }
            let otherLexicon =
                row[0].hasSuffix("-n") && row[0].contains(where: \.isNumber) && !row[0].contains(".")
                && scheme(row[0]) != scheme(lexicon.synsets.first?.id ?? "")
            guard let synset = lexicon.resolve(row[0]) else {
                if otherLexicon {
                    midRowsOfOtherLexicons += 1
                    return
                }
                throw PointillistError(file: row.file, line: row.line, field: "sense", reason: "'\(row[0])' is not a noun sense in \(lexicon.source)")
            }
            var entry = mids[synset] ?? ([], row.source)
            if mid == "-" {
                noMID.insert(synset)
            } else if !entry.mids.contains(mid) {
                entry.mids.append(mid)
            }
            mids[synset] = entry
        }
        for synset in noMID { mids[synset]?.mids = [] }
        try TSV.read(path("tangible.tsv"), columns: ["rule", "value"], optional: false) { (row) throws(PointillistError) in
            switch row[0] {
            case "root":
                tangibleRoots.append((try sense(row[1], row.file, row.line, "value"), row.source))
            case "deny-lexfile", "allow-lexfile":
                guard let f = LexFile(name: row[1]), f.name.hasPrefix("noun.") else {
                    throw PointillistError(file: row.file, line: row.line, field: "value", reason: "'\(row[1])' is not a noun lexicographer file")
                }
                if row[0] == "deny-lexfile" { deniedLexFiles[f] = row.source } else { allowedLexFiles[f] = row.source }
            default:
                throw PointillistError(
                    file: row.file, line: row.line, field: "rule", reason: "'\(row[0])' is not root, deny-lexfile or allow-lexfile")
            }
        }
        if tangibleRoots.isEmpty {
            throw PointillistError(file: path("tangible.tsv"), reason: "no root: name at least one sense the tangible classes descend from")
        }
        // A merge chain must end: a → b → a would loop.
        for (start, first) in merges {
            var seen: Set<Int32> = [start]
            var s = start
            while let next = merges[s]?.into {
                guard seen.insert(next).inserted else {
                    throw PointillistError(file: first.rule.file, line: first.rule.line, reason: "merges form a cycle")
                }
                s = next
            }
        }
    }

    /// Where a merge chain starting at `synset` ends.
    public func mergeTarget(_ synset: Int32) -> (synset: Int32, rule: RuleSource?) {
        var s = synset
        var rule: RuleSource?
        while let m = merges[s] {
            s = m.into
            rule = rule ?? m.rule
        }
        return (s, rule)
    }
}

/// Reads the project's TSV files: UTF-8, tab-separated, `#` starts a comment line, blank
/// lines ignored, an optional header row equal to the column names.
public enum TSV {
    public struct Row {
        public var fields: [String]
        public var file: String
        public var line: Int
        public subscript(i: Int) -> String { i < fields.count ? fields[i] : "" }
        public var source: RuleSource { RuleSource(file: file, line: line, entry: fields.prefix(2).joined(separator: " → ")) }
    }

    public static func read(
        _ path: String, columns: [String], optional: Bool, minimumColumns: Int? = nil, firstRequired: Int = 0,
        headerRequired: String? = nil, _ body: (Row) throws(PointillistError) -> Void
    ) throws(PointillistError) {
        guard let text = try readText(path, optional: optional) else { return }
        var number = 0
        var sawHeader = false
        /// With `headerRequired` (what the file must be), the header row comes before any data.
        func missingHeader(line: Int?) -> PointillistError {
            PointillistError(
                file: path, line: line,
                reason: "not a \(headerRequired ?? "TSV"): its header row (\(columns.prefix(3).joined(separator: ", ")), …) is missing")
        }
        // LF or CRLF: a CRLF file read as one line would, starting with a comment, be silently empty.
        for rawLine in text.fileLines(omittingEmpty: false) {
            number += 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                String($0).trimmingSpaces()
            }
            if fields.count >= columns.count, Array(fields.prefix(columns.count)) == columns {  // header
                sawHeader = true
                continue
            }
            if headerRequired != nil, !sawHeader { throw missingHeader(line: number) }
            let needed = minimumColumns ?? columns.count
            guard fields.count >= needed else {
                let named = columns.prefix(needed).joined(separator: ", ") + (needed < columns.count ? ", …" : "")
                throw PointillistError(
                    file: path, line: number, field: columns[fields.count],
                    reason: "expected \(needed < columns.count ? "at least " : "")\(needed) tab-separated columns (\(named)), found \(fields.count)")
            }
            if let empty = fields.prefix(needed).indices.first(where: { $0 >= firstRequired && fields[$0].isEmpty }) {
                throw PointillistError(file: path, line: number, field: columns[empty], reason: "empty")
            }
            try body(Row(fields: fields, file: path, line: number))
        }
        if headerRequired != nil, !sawHeader { throw missingHeader(line: nil) }
    }

    /// The whole file as text, without the UTF-8 byte-order mark a spreadsheet export may
    /// begin with; nil when it is absent and `optional`.
    public static func readText(_ path: String, optional: Bool) throws(PointillistError) -> String? {
        if optional, !FileSystem.exists(path) { return nil }
        let bytes = try FileSystem.readBytes(path)
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw PointillistError(file: path, reason: "not valid UTF-8")
        }
        return text
    }

    /// A field with tabs and line breaks replaced by spaces, scalar by scalar (CR LF is one
    /// `Character`, equal to neither), so it cannot break the row.
    public static func clean(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var scalars = String.UnicodeScalarView()
        for s in field.unicodeScalars { scalars.append(s == "\t" || s == "\n" || s == "\r" ? " " : s) }
        return String(scalars)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
