import Lexicon
import Support

/// The linguists' review sheet: one row per class and per near-miss, with the evidence for
/// each decision, written as TSV (edited in a spreadsheet) and as a static HTML page.
///
/// The `decision` column is the only one a reviewer edits. Values:
/// - empty: no change;
/// - `drop` (a class): its sense goes to `excludes.tsv`: no word makes it a class again;
/// - `keep` (a near-miss with a sense): the sense goes to `includes.tsv`;
/// - `sense:<sense>`: the lemma is read as that sense (`senses.tsv`);
/// - `alias:<sense>`: the lemma or phrase maps to that sense (`aliases.tsv`);
/// - `merge:<sense>` (a class): the class merges into that sense (`merges.tsv`).
public struct ReviewSheet: Sendable {
    public struct Row: Sendable, Equatable {
        public var decision = ""
        public var kind: String  // "class", "near-miss" or "compound" (a name the lexicon lacks, counted as its head)
        public var id: String
        public var name: String
        public var lemma: String
        public var sense: String
        public var synset: String
        public var lexFile: String
        public var mentions: Int
        public var images: String
        public var verdict: String
        /// Why it passed or failed each filter, in words.
        public var reasons: String
        public var ambiguous: Int
        /// A class's share of mentions whose sense had no rival in another lexicographer file,
        /// two decimals ("" for near-misses): the sheet lists the least certain classes first.
        public var confidence: String
        public var rules: String
        public var gloss: String
        public var concordance: [String]
    }

    public static let columns = [
        "decision", "kind", "id", "name", "lemma", "sense", "synset", "lexfile", "mentions", "images", "verdict",
        "reasons", "ambiguous", "confidence", "rules", "gloss", "concordance",
    ]

    public var rows: [Row]

    /// Rows for every class (least confident of its sense first, then most mentioned), then
    /// the near-misses most worth a look: the `nearMisses` most frequent ones.
    public init(dictionary: ClassDictionary, extractor: MentionExtractor, options: DictionaryOptions, nearMisses: Int = 500) {
        let lexicon = extractor.lexicon
        let roots = extractor.curation.tangibleRoots
        var rows: [Row] = []
        for c in dictionary.classes.sorted(by: { (Self.confidence($0), $1.mentions, $0.id) < (Self.confidence($1), $0.mentions, $1.id) }) {
            var reasons: [String] = []
            if let s = lexicon.synset(id: c.synset) {
                if let include = extractor.curation.includes[s] {
                    reasons.append("included at \(include.rule): \(include.reason)")
                } else {
                    let closure = lexicon.closure(s)
                    let root = roots.first { closure.contains($0.synset) }
                    if let root {
                        reasons.append("tangible: \(c.lexFile), descends from \(lexicon.senseName(of: root.synset))")
                    } else {
                        reasons.append("tangible: \(c.lexFile) is allowed")
                    }
                    reasons.append("common: every word of '\(c.name)' is in the word list")
                }
            }
            reasons.append("frequent: \(c.mentions) mentions ≥ \(options.minimumMentions)")
            if c.ambiguous > 0 { reasons.append("sense ambiguous in \(c.ambiguous) mentions") }
            rows.append(
                Row(
                    kind: "class", id: String(c.id), name: c.name, lemma: c.name, sense: c.sense, synset: c.synset,
                    lexFile: c.lexFile, mentions: c.mentions, images: String(c.images), verdict: "kept",
                    reasons: reasons.joined(separator: "; "), ambiguous: c.ambiguous,
                    confidence: Self.hundredths(Self.confidence(c)), rules: c.rules, gloss: c.gloss,
                    concordance: c.examples))
        }
        for m in dictionary.nearMisses.prefix(nearMisses) {
            let s = lexicon.resolve(m.sense)
            rows.append(
                Row(
                    kind: m.verdict == "compound" ? "compound" : "near-miss", id: "", name: "", lemma: m.lemma, sense: m.sense,
                    synset: s.map { lexicon.synsets[Int($0)].id } ?? "",
                    lexFile: s.map { lexicon.synsets[Int($0)].lexFile.name } ?? "", mentions: m.mentions, images: "",
                    verdict: m.verdict, reasons: m.reason, ambiguous: 0, confidence: "", rules: "",
                    gloss: s.map { lexicon.synsets[Int($0)].gloss } ?? "", concordance: m.examples))
        }
        self.rows = rows
    }

    /// The share of a class's mentions whose sense choice had no rival (1 − ambiguous / mentions).
    static func confidence(_ c: ClassEntry) -> Double {
        c.mentions > 0 ? 1 - Double(min(c.ambiguous, c.mentions)) / Double(c.mentions) : 1
    }

    /// `value` with two decimals ("0.87").
    static func hundredths(_ value: Double) -> String {
        let n = Int((value * 100).rounded())
        return "\(n / 100).\(n % 100 < 10 ? "0" : "")\(n % 100)"
    }

    public var tsv: String {
        var text = ReviewSheet.columns.joined(separator: "\t") + "\n"
        for r in rows {
            let fields = [
                r.decision, r.kind, r.id, r.name, r.lemma, r.sense, r.synset, r.lexFile, String(r.mentions), r.images,
                r.verdict, r.reasons, String(r.ambiguous), r.confidence, r.rules, r.gloss, r.concordance.joined(separator: " ‖ "),
            ]
            text += fields.map(TSV.clean).joined(separator: "\t") + "\n"
        }
        return text
    }

    /// A self-contained HTML page: summary, a filter box, and one table row per class and near-miss.
    public func html(title: String, summary: [(String, String)]) -> String {
        func e(_ s: String) -> String {
            var out = ""
            for ch in s {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.append(ch)
                }
            }
            return out
        }
        func concordance(_ line: String) -> String {
            // The mention is in brackets: show it highlighted.
            guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return e(line) }
            return e(String(line[..<open])) + "<mark>" + e(String(line[line.index(after: open)..<close])) + "</mark>"
                + e(String(line[line.index(after: close)...]))
        }
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em} table{border-collapse:collapse;width:100%}
            th,td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
            th{background:#f3f3f3;position:sticky;top:0}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.near-miss{color:#666;background:#fafafa}
            .v-kept{color:#176f2c;font-weight:600} .v-other{color:#a33;font-weight:600}
            .gloss{color:#555;font-style:italic;max-width:20em} .conc{font-size:12px;color:#333;min-width:28em}
            .conc div{max-width:34em;margin-bottom:4px}
            td.why{font-size:12px;max-width:24em} td.why div{margin-bottom:2px}
            mark{background:#ffe08a} .flag{color:#b45f06} dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
            dt{font-weight:600} input{font-size:14px;padding:4px;width:24em;margin:8px 0}
            </style></head><body>
            <h1>\(e(title))</h1>
            <dl>
            """
        for (k, v) in summary { h += "<dt>\(e(k))</dt><dd>\(e(v))</dd>\n" }
        h += """
            </dl>
            <p>Edit the <code>decision</code> column of the TSV sheet next to this page (keep, drop, sense:&lt;sense&gt;, alias:&lt;sense&gt;, merge:&lt;sense&gt;), then run <code>pointillist vocab apply</code>.</p>
            <input id="q" type="search" placeholder="Filter rows (name, sense, reason…)">
            <table id="t"><thead><tr><th>kind</th><th>id</th><th>name / lemma</th><th>sense</th><th>lexfile</th><th>mentions</th><th>images</th><th>confidence</th><th>verdict</th><th>why</th><th>gloss</th><th>in context</th></tr></thead><tbody>

            """
        for r in rows {
            let verdictClass = r.verdict == "kept" ? "v-kept" : "v-other"
            let flag = r.ambiguous > 0 ? " <span class=\"flag\" title=\"sense ambiguous\">⚑</span>" : ""
            h += "<tr class=\"\(r.kind)\"><td>\(e(r.kind))</td><td class=\"n\">\(e(r.id))</td>"
            h += "<td>\(e(r.kind == "class" ? r.name : r.lemma))\(flag)</td><td><code>\(e(r.sense))</code></td>"
            h += "<td>\(e(r.lexFile))</td><td class=\"n\">\(r.mentions)</td><td class=\"n\">\(e(r.images))</td>"
            h += "<td class=\"n\">\(e(r.confidence))</td>"
            h += "<td class=\"\(verdictClass)\">\(e(r.verdict))</td><td class=\"why\">"
            for reason in r.reasons.split(separator: "; ") { h += "<div>\(e(String(reason)))</div>" }
            h += "</td>"
            h += "<td class=\"gloss\">\(e(r.gloss))</td><td class=\"conc\">"
            for line in r.concordance { h += "<div>\(concordance(line))</div>" }
            h += "</td></tr>\n"
        }
        h += """
            </tbody></table>
            <script>
            document.getElementById('q').addEventListener('input', function () {
              var q = this.value.toLowerCase();
              document.querySelectorAll('#t tbody tr').forEach(function (tr) {
                tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
              });
            });
            </script>
            </body></html>

            """
        return h
    }
}

/// Turns the decisions of an edited review sheet into edits of the `Vocab/` files.
public struct ReviewDecisions: Sendable {
    public struct Edit: Sendable, Equatable, CustomStringConvertible {
        public var file: String  // file name inside the Vocab directory
        public var key: String
        public var value: String
        /// The review sheet line it came from.
        public var line: Int
        public var description: String { "\(file): \(key)\t\(value)  (review line \(line))" }
    }

    public var edits: [Edit]

    /// Reads the sheet and checks every decision against the lexicon; the first bad one is an
    /// error naming its line, and nothing is applied.
    public init(sheet path: String, lexicon: Lexicon) throws(PointillistError) {
        var edits: [Edit] = []
        try TSV.read(
            path, columns: ReviewSheet.columns, optional: false, minimumColumns: 2, firstRequired: 1,
            headerRequired: "review sheet (vocab review's review.tsv)"
        ) { (row) throws(PointillistError) in
            let decision = row[0]
            guard !decision.isEmpty else { return }
            let kind = row[1]
            let (lemma, sense, name) = (row[4], row[5], row[3])
            func target(_ prefix: String) throws(PointillistError) -> String {
                let value = String(decision.dropFirst(prefix.count)).trimmingSpaces()
                guard lexicon.resolve(value) != nil else {
                    throw PointillistError(
                        file: path, line: row.line, field: "decision", reason: "'\(value)' is not a noun sense in \(lexicon.source)")
                }
                return value
            }
            switch decision {
            case "drop":
                guard kind == "class" else {
                    throw PointillistError(file: path, line: row.line, field: "decision", reason: "drop applies to classes; this row is a \(kind)")
                }
                edits.append(Edit(file: "excludes.tsv", key: sense, value: "dropped in review (\(name))", line: row.line))
            case "keep":
                guard kind == "near-miss", !sense.isEmpty else {
                    throw PointillistError(
                        file: path, line: row.line, field: "decision",
                        reason: kind == "class"
                            ? "the class is already kept"
                            : kind == "compound"
                                ? "its head is already kept: use alias:<sense> to make the name a class of its own"
                                : "no sense to keep: use alias:<sense>")
                }
                edits.append(Edit(file: "includes.tsv", key: sense, value: "kept in review", line: row.line))
            case _ where decision.hasPrefix("sense:"):
                edits.append(Edit(file: "senses.tsv", key: lemma, value: try target("sense:"), line: row.line))
            case _ where decision.hasPrefix("alias:"):
                edits.append(Edit(file: "aliases.tsv", key: lemma, value: try target("alias:"), line: row.line))
            case _ where decision.hasPrefix("merge:"):
                guard kind == "class" else {
                    throw PointillistError(file: path, line: row.line, field: "decision", reason: "merge applies to classes; this row is a \(kind)")
                }
                edits.append(Edit(file: "merges.tsv", key: sense, value: try target("merge:"), line: row.line))
            default:
                throw PointillistError(
                    file: path, line: row.line, field: "decision",
                    reason: "'\(decision)' is not keep, drop, sense:<sense>, alias:<sense> or merge:<sense>")
            }
        }
        self.edits = edits
    }

    /// Appends the edits to the files of `directory`; an edit whose key is already in its file
    /// with the same value is skipped, so applying a sheet twice changes nothing.
    /// Returns the edits made.
    public func apply(to directory: String) throws(PointillistError) -> [Edit] {
        var made: [Edit] = []
        var byFile: [String: [Edit]] = [:]
        for e in edits { byFile[e.file, default: []].append(e) }
        // Read everything first so a bad file stops the whole apply before any write.
        var contents: [String: String] = [:]
        for file in byFile.keys { contents[file] = try TSV.readText(directory + "/" + file, optional: true) ?? "" }
        for (file, list) in byFile.sorted(by: { $0.key < $1.key }) {
            var text = contents[file] ?? ""
            var existing: Set<String> = []
            for line in text.fileLines() where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                if f.count >= 2 { existing.insert(f[0].trimmingCharacters() + "\t" + f[1].trimmingCharacters()) }
            }
            var added = false
            for e in list where !existing.contains(e.key + "\t" + e.value) {
                if !added, !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
                text += "\(TSV.clean(e.key))\t\(TSV.clean(e.value))\n"
                existing.insert(e.key + "\t" + e.value)
                made.append(e)
                added = true
            }
            if added { try PointillistError.replacingFile(directory + "/" + file, with: text) }
        }
        return made
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}

/// What changed between two dictionaries, matched by synset.
public struct DictionaryDiff: Sendable {
    public var added: [ClassEntry] = []
    public var removed: [ClassEntry] = []
    /// Same synset, something visible changed: (old, new).
    public var changed: [(ClassEntry, ClassEntry)] = []

    public init(old: [ClassEntry], new: [ClassEntry]) {
        let before = Dictionary(uniqueKeysWithValues: old.map { ($0.synset, $0) })
        let after = Dictionary(uniqueKeysWithValues: new.map { ($0.synset, $0) })
        added = new.filter { before[$0.synset] == nil }.sorted { $0.id < $1.id }
        removed = old.filter { after[$0.synset] == nil }.sorted { $0.id < $1.id }
        for n in new.sorted(by: { $0.id < $1.id }) {
            guard let o = before[n.synset] else { continue }
            if o.id != n.id || o.name != n.name || o.mentions != n.mentions || o.train != n.train
                || o.openImagesMID != n.openImagesMID
            {
                changed.append((o, n))
            }
        }
    }

    /// One line per difference: `+`, `-` or `~`, then id, name, sense and what changed.
    public var lines: [String] {
        var out: [String] = []
        for c in added { out.append("+\t\(c.id)\t\(c.name)\t\(c.sense)\t\(c.mentions) mentions") }
        for c in removed { out.append("-\t\(c.id)\t\(c.name)\t\(c.sense)\t\(c.mentions) mentions") }
        for (o, n) in changed {
            var what: [String] = []
            if o.id != n.id { what.append("id \(o.id) → \(n.id)") }
            if o.name != n.name { what.append("name \(o.name) → \(n.name)") }
            if o.mentions != n.mentions { what.append("mentions \(o.mentions) → \(n.mentions)") }
            if o.train != n.train { what.append(n.train ? "now trained on" : "no longer trained on") }
            if o.openImagesMID != n.openImagesMID { what.append("Open Images \(o.openImagesMID) → \(n.openImagesMID)") }
            out.append("~\t\(n.id)\t\(n.name)\t\(n.sense)\t\(what.joined(separator: ", "))")
        }
        return out
    }
}
