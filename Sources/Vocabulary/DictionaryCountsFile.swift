import Lexicon
import Support

/// A `DictionaryTally` as a file: what `vocab count` writes for one corpus (a shard) and
/// `vocab build --counts` merges back, so that a sharded corpus builds the dictionary one
/// pass over the whole corpus would.
///
/// UTF-8 text, one record per line, tab-separated, the first field the record's kind; every
/// field escaped (`\\`, `\t`, `\n`, `\r`) so captions survive whole. Records are sorted, so
/// equal tallies give equal bytes. Synsets are written by the lexicon's synset id.
///
///     # pointillist dictionary counts 1
///     lexicon   signature (`Lexicon.signature`; a file without it is read by any lexicon)
///     totals    captions candidates kept
///     verdict   code count
///     fired     file line entry count
///     class     synset mentions images ambiguous
///     variant   synset surface count
///     lemma     synset lemma count
///     rule      synset file line entry
///     example   synset image start length caption
///     miss      lemma code sense mentions explanation
///     miss-example  lemma code image start length caption
public enum DictionaryCountsFile {
    static let header = "# pointillist dictionary counts 1"

    /// The file's text for `tally`.
    public static func text(of tally: DictionaryTally, lexicon: Lexicon) -> String {
        var rows: [[String]] = [
            ["lexicon", lexicon.signature], ["totals", "\(tally.captions)", "\(tally.candidates)", "\(tally.kept)"],
        ]
        rows += tally.verdicts.map { ["verdict", $0.key, "\($0.value)"] }
        rows += tally.rulesFired.map { ["fired", $0.key.file, "\($0.key.line)", $0.key.entry, "\($0.value)"] }
        for (synset, t) in tally.classes {
            let id = lexicon.synsets[Int(synset)].id
            rows.append(["class", id, "\(t.mentions)", "\(t.imageCount)", "\(t.ambiguous)"])
            rows += t.variants.map { ["variant", id, $0.key, "\($0.value)"] }
            rows += t.lemmas.map { ["lemma", id, $0.key, "\($0.value)"] }
            rows += t.rules.map { ["rule", id, $0.file, "\($0.line)", $0.entry] }
            rows += t.examples.map { ["example", id, $0.image, "\($0.start)", "\($0.length)", $0.caption] }
        }
        for (key, m) in tally.misses {
            let sense = m.sense.map { lexicon.synsets[Int($0)].id } ?? ""
            rows.append(["miss", key.lemma, key.code, sense, "\(m.mentions)", m.explanation])
            rows += m.examples.map { ["miss-example", key.lemma, key.code, $0.image, "\($0.start)", "\($0.length)", $0.caption] }
        }
        let lines = rows.map { $0.map(escape).joined(separator: "\t") }.sorted()
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// Reads a counts file written by `text(of:lexicon:)` with the same lexicon.
    public static func read(_ path: String, lexicon: Lexicon) throws(PointillistError) -> DictionaryTally {
        guard let text = try TSV.readText(path, optional: false) else { return DictionaryTally() }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first.map(String.init) == header else {
            throw PointillistError(file: path, line: 1, reason: "not a dictionary counts file (expected '\(header)')")
        }
        var tally = DictionaryTally()
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { unescape(String($0)) }
            try Record(fields: fields, lexicon: lexicon, path: path, line: offset + 1).add(to: &tally)
        }
        return tally
    }

    /// One record's fields, read by position with the checks every kind needs.
    struct Record {
        let fields: [String]
        let lexicon: Lexicon
        let path: String
        let line: Int

        func failure(_ reason: String) -> PointillistError { PointillistError(file: path, line: line, field: fields[0], reason: reason) }

        func field(_ i: Int) throws(PointillistError) -> String {
            guard i < fields.count else { throw failure("expected at least \(i + 1) fields, found \(fields.count)") }
            return fields[i]
        }
        func number(_ i: Int) throws(PointillistError) -> Int {
            guard let n = Int(try field(i)), n >= 0 else { throw failure("'\(fields[i])' is not a count") }
            return n
        }
        func synset(_ i: Int) throws(PointillistError) -> Int32 {
            let id = try field(i)
            guard let s = lexicon.synset(id: id) else { throw failure("synset \(id) is not in this lexicon (counted with another one?)") }
            return s
        }
        func rule(_ i: Int) throws(PointillistError) -> RuleSource {
            RuleSource(file: try field(i), line: try number(i + 1), entry: try field(i + 2))
        }
        func example(_ i: Int) throws(PointillistError) -> DictionaryTally.Example {
            .init(image: try field(i), caption: try field(i + 3), start: try number(i + 1), length: try number(i + 2))
        }
        func missKey() throws(PointillistError) -> DictionaryTally.MissKey { .init(lemma: try field(1), code: try field(2)) }

        func add(to t: inout DictionaryTally) throws(PointillistError) {
            switch fields[0] {
            case "lexicon":
                // Counted with another lexicon (or the same one with or without tag counts), its
                // senses were chosen otherwise.
                guard try field(1) == lexicon.signature else {
                    throw failure("counted with another lexicon (\(try field(1))); this build reads \(lexicon.signature)")
                }
            case "totals": (t.captions, t.candidates, t.kept) = (try number(1), try number(2), try number(3))
            case "verdict": t.verdicts[try field(1)] = try number(2)
            case "fired": t.rulesFired[try rule(1)] = try number(4)
            case "class":
                let (synset, mentions, images, ambiguous) = (try synset(1), try number(2), try number(3), try number(4))
                t.classes[synset, default: .init()].mentions = mentions
                t.classes[synset, default: .init()].imagesElsewhere = images
                t.classes[synset, default: .init()].ambiguous = ambiguous
            case "variant": t.classes[try synset(1), default: .init()].variants[try field(2)] = try number(3)
            case "lemma": t.classes[try synset(1), default: .init()].lemmas[try field(2)] = try number(3)
            case "rule": t.classes[try synset(1), default: .init()].rules.insert(try rule(2))
            case "example": DictionaryTally.keep([try example(2)], in: &t.classes[try synset(1), default: .init()].examples)
            case "miss":
                let sense = try field(3)
                t.misses[try missKey()] = .init(
                    code: try field(2), explanation: try field(5), sense: sense.isEmpty ? nil : try synset(3), mentions: try number(4))
            case "miss-example":
                let key = try missKey()
                guard var miss = t.misses[key] else { throw failure("an example of a near-miss without its miss record") }
                DictionaryTally.keep([try example(3)], in: &miss.examples)
                t.misses[key] = miss
            default: throw failure("unknown record kind")
            }
        }
    }

    static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        var out = ""
        for c in field.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescape(_ field: String) -> String {
        guard field.utf8.contains(0x5C) else { return field }
        var out = String.UnicodeScalarView()
        var escaped = false
        for c in field.unicodeScalars {
            if escaped {
                switch c {
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return String(out)
    }
}
