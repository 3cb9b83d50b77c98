import Glibc
import Support

/// Loads the nouns of the Princeton WordNet 3.0 database (Debian's `wordnet-base`,
/// `/usr/share/wordnet`): `data.noun` (synsets: lexicographer file, words, pointers, gloss),
/// `index.noun` (each lemma's synsets in frequency order), `noun.exc` (irregular plurals) and,
/// when present, `cntlist.rev` (sense tag counts).
///
/// Formats: wndb(5WN) and cntlist(5WN). Synset ids are `<8-digit offset>-n`.
public enum PrincetonLoader {
    public static let defaultDirectory = "/usr/share/wordnet"

    /// The files `load(directory:)` reads (`cntlist.rev` may be missing).
    public static func sources(directory: String = defaultDirectory) -> [String] {
        ["data.noun", "index.noun", "noun.exc", "cntlist.rev", "index.adj"].map { directory + "/" + $0 }
    }

    public static func load(directory: String = defaultDirectory) throws(PointillistError) -> Lexicon {
        var builder = LexiconBuilder()
        // Lemma → (synset id → lex id), to rebuild sense keys for the tag counts.
        var lexIDs: [String: UInt8] = [:]
        try readData(path: directory + "/data.noun", into: &builder, lexIDs: &lexIDs)
        let (counts, verbCounts) = try readCounts(path: directory + "/cntlist.rev")
        builder.verbTagCounts = verbCounts
        builder.adjectives = try readLemmas(path: directory + "/index.adj")
        let lexFiles = Dictionary(uniqueKeysWithValues: builder.synsets.map { ($0.id, $0.lexFile.number) })
        try readIndex(path: directory + "/index.noun", into: &builder) { lemma, synset in
            guard let counts, let lexFile = lexFiles[synset], let lexID = lexIDs[lemma + " " + synset] else { return 0 }
            let key = "\(lemma)%1:\(twoDigits(Int(lexFile))):\(twoDigits(Int(lexID)))::"
            return counts[key] ?? 0
        }
        try readExceptions(path: directory + "/noun.exc", into: &builder)
        return builder.build(source: "WordNet 3.0 database at \(directory)")
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A word as the database writes it, with its underscores read as spaces.
    static func spaced(_ word: some Collection<UInt8>) -> String {
        String(decoding: word.map { $0 == UInt8(ascii: "_") ? 0x20 : $0 }, as: UTF8.self)
    }

    /// `offset lex_filenum ss_type w_cnt word lex_id … p_cnt [ptr offset pos src/tgt]… | gloss`
    static func readData(path: String, into builder: inout LexiconBuilder, lexIDs: inout [String: UInt8])
        throws(PointillistError)
    {
        try forEachLine(path: path) { (lineNumber, line) throws(PointillistError) in
            guard let first = line.first, first != 0x20 else { return }  // licence header
            func fail(_ why: String) -> PointillistError { PointillistError(file: path, line: lineNumber, reason: why) }
            var fields = Fields(line: line)
            guard let offset = fields.next(), offset.count == 8,
                let lexNumber = fields.next().flatMap({ Int(ascii: $0, radix: 10) }), lexNumber < 256,
                let type = fields.next(), type == [UInt8(ascii: "n")],
                let wordCount = fields.next().flatMap({ Int(ascii: $0, radix: 16) })
            else { throw fail("malformed synset header") }
            let id = String(decoding: offset, as: UTF8.self) + "-n"
            var lemmas: [String] = []
            for _ in 0..<wordCount {
                guard let word = fields.next(), let lexID = fields.next().flatMap({ Int(ascii: $0, radix: 16) }) else {
                    throw fail("synset \(id): fewer words than its count says")
                }
                let written = spaced(word)
                lemmas.append(written)
                lexIDs[String(decoding: word, as: UTF8.self).lowercased() + " " + id] = UInt8(truncatingIfNeeded: lexID)
            }
            guard let pointerCount = fields.next().flatMap({ Int(ascii: $0, radix: 10) }) else {
                throw fail("synset \(id): missing pointer count")
            }
            var hypernyms: [String] = []
            var instanceOf: [String] = []
            for _ in 0..<pointerCount {
                guard let symbol = fields.next(), let target = fields.next(), let pos = fields.next(), fields.next() != nil
                else { throw fail("synset \(id): fewer pointers than its count says") }
                guard pos == [UInt8(ascii: "n")] else { continue }
                if symbol == [UInt8(ascii: "@")] {
                    hypernyms.append(String(decoding: target, as: UTF8.self) + "-n")
                } else if symbol == [UInt8(ascii: "@"), UInt8(ascii: "i")] {
                    instanceOf.append(String(decoding: target, as: UTF8.self) + "-n")
                }
            }
            var gloss = ""
            if let bar = line.firstIndex(of: UInt8(ascii: "|")) {
                var end = line.endIndex
                while end > bar + 1, line[end - 1] == 0x20 { end -= 1 }
                gloss = String(decoding: line[(bar + 2 < end ? bar + 2 : end)..<end], as: UTF8.self)
            }
            builder.synsets.append(
                .init(
                    id: id, lexFile: LexFile(number: UInt8(lexNumber)), lemmas: lemmas, hypernyms: hypernyms,
                    instanceOf: instanceOf, gloss: gloss, ili: nil))
        }
    }

    /// `lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…`
    static func readIndex(
        path: String, into builder: inout LexiconBuilder, count: (String, String) -> Int
    ) throws(PointillistError) {
        try forEachLine(path: path) { (lineNumber, line) throws(PointillistError) in
            guard let first = line.first, first != 0x20 else { return }
            var fields = Fields(line: line)
            guard let lemmaBytes = fields.next(), fields.next() == [UInt8(ascii: "n")],
                let synsetCount = fields.next().flatMap({ Int(ascii: $0, radix: 10) }),
                let pointerCount = fields.next().flatMap({ Int(ascii: $0, radix: 10) })
            else { throw PointillistError(file: path, line: lineNumber, reason: "malformed index entry") }
            for _ in 0..<(pointerCount + 2) { _ = fields.next() }  // pointer symbols, sense_cnt, tagsense_cnt
            let lemma = String(decoding: lemmaBytes, as: UTF8.self)
            let written = spaced(lemmaBytes)
            for order in 0..<synsetCount {
                guard let offset = fields.next() else {
                    throw PointillistError(file: path, line: lineNumber, reason: "\(lemma): fewer synsets than its count says")
                }
                let id = String(decoding: offset, as: UTF8.self) + "-n"
                builder.addSense(lemma: written, synset: id, order: order, count: count(lemma, id))
            }
        }
    }

    /// `sense_key sense_number tag_cnt`, read once for both parts of speech: the noun senses'
    /// counts by sense key (`%1:`; nil when the file is absent), and per verb lemma key the
    /// counts of its senses summed (`%2:`; empty when absent).
    static func readCounts(path: String) throws(PointillistError) -> (nouns: [String: Int]?, verbs: [String: Int]) {
        guard access(path, R_OK) == 0 else { return (nil, [:]) }
        var nouns: [String: Int] = [:]
        var verbs: [String: Int] = [:]
        try forEachLine(path: path) { (_, line) throws(PointillistError) in
            var fields = Fields(line: line)
            guard let key = fields.next(), let percent = key.firstIndex(of: UInt8(ascii: "%")), fields.next() != nil,
                let n = fields.next().flatMap({ Int(ascii: $0, radix: 10) })
            else { return }
            let pos = key[(percent + 1)...]
            if pos.starts(with: "2:".utf8) {
                verbs[Lexicon.key(spaced(key[..<percent])), default: 0] += n
            } else if pos.starts(with: "1:".utf8) {
                nouns[String(decoding: key, as: UTF8.self)] = n
            }
        }
        return (nouns, verbs)
    }

    /// The lemma keys of an index file (`index.adj`: the words that can be adjectives); empty
    /// when the file is absent.
    static func readLemmas(path: String) throws(PointillistError) -> Set<String> {
        guard access(path, R_OK) == 0 else { return [] }
        var lemmas: Set<String> = []
        try forEachLine(path: path) { (_, line) throws(PointillistError) in
            guard let first = line.first, first != 0x20 else { return }  // licence header
            var fields = Fields(line: line)
            if let lemma = fields.next() { lemmas.insert(Lexicon.key(spaced(lemma))) }
        }
        return lemmas
    }

    /// `inflected base…`, one irregular form per line.
    static func readExceptions(path: String, into builder: inout LexiconBuilder) throws(PointillistError) {
        try forEachLine(path: path) { (lineNumber, line) throws(PointillistError) in
            var fields = Fields(line: line)
            guard let form = fields.next() else { return }
            let written = spaced(form)
            var any = false
            while let base = fields.next() {
                builder.addException(form: written, base: spaced(base))
                any = true
            }
            if !any { throw PointillistError(file: path, line: lineNumber, reason: "exception '\(written)' has no base form") }
        }
    }
}

/// Space-separated fields of one line.
struct Fields {
    let line: ArraySlice<UInt8>
    var position: Int

    init(line: ArraySlice<UInt8>) {
        self.line = line
        position = line.startIndex
    }

    mutating func next() -> ArraySlice<UInt8>? {
        while position < line.endIndex, line[position] == 0x20 { position += 1 }
        guard position < line.endIndex else { return nil }
        let start = position
        while position < line.endIndex, line[position] != 0x20 { position += 1 }
        return line[start..<position]
    }
}

extension Int {
    init?(ascii bytes: ArraySlice<UInt8>, radix: Int) {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for b in bytes {
            let digit: Int
            switch b {
            case 0x30...0x39: digit = Int(b - 0x30)
            case 0x61...0x66: digit = Int(b - 0x61 + 10)
            case 0x41...0x46: digit = Int(b - 0x41 + 10)
            default: return nil
            }
            guard digit < radix else { return nil }
            value = value * radix + digit
        }
        self = value
    }
}

/// Reads a whole file into memory.
func readFile(_ path: String) throws(PointillistError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw PointillistError(file: path, reason: "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(file) != 0 { throw PointillistError(file: path, reason: "read error") }
            break
        }
    }
    return bytes
}

/// Calls `body` with each line (without its newline) and its 1-based number.
func forEachLine(path: String, _ body: (Int, ArraySlice<UInt8>) throws(PointillistError) -> Void) throws(PointillistError) {
    let bytes = try readFile(path)
    var start = 0
    var number = 0
    while start < bytes.count {
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        number += 1
        var lineEnd = end
        if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        try body(number, bytes[start..<lineEnd])
        start = end + 1
    }
}
