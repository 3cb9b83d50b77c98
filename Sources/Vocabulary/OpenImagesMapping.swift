import Lexicon
import Narratives
import Support

/// The Open Images box hierarchy (`bbox_labels_600_hierarchy.json`: `LabelName`,
/// `Subcategory`, `Part`): each class's parents, the classes it is a kind of. A class may sit
/// under several (Crab under Animal and under Seafood). A part is no kind of its whole (a
/// hand is no kind of body), so `Part` lists give no parent.
public struct OpenImagesHierarchy: Sendable {
    public let path: String
    let parents: [String: [String]]
    let root: String

    public init(path: String) throws(PointillistError) {
        guard let text = try TSV.readText(path, optional: false) else { throw PointillistError(file: path, reason: "missing") }
        let bytes = Array(text.utf8)
        var parents: [String: [String]] = [:]
        var root = ""
        do throws(JSONError) {
            try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in
                var scanner = JSONScanner(buffer)
                root = try Self.readNode(&scanner, into: &parents)
                try scanner.expectEnd()
            }
        } catch {
            let line = bytes.prefix(error.offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw PointillistError(file: path, line: line, reason: "not a class hierarchy: \(error.reason)")
        }
        self.path = path
        self.parents = parents
        self.root = root
    }

    /// `{"LabelName": MID, "Subcategory": [nodes], "Part": [nodes]}`; returns its MID.
    static func readNode(_ scanner: inout JSONScanner, into parents: inout [String: [String]]) throws(JSONError) -> String {
        var label = ""
        var children: [String] = []
        try scanner.forEachMember { (s, key) throws(JSONError) in
            if key.equals("LabelName") {
                label = try s.readString()
            } else if key.equals("Subcategory") {
                try s.forEachElement { (s, _) throws(JSONError) in children.append(try readNode(&s, into: &parents)) }
            } else if key.equals("Part") {
                try s.forEachElement { (s, _) throws(JSONError) in _ = try readNode(&s, into: &parents) }
            } else {
                try s.skipValue()
            }
        }
        guard !label.isEmpty else { throw JSONError(offset: scanner.position, reason: "a node without LabelName") }
        for child in children where parents[child]?.contains(label) != true { parents[child, default: []].append(label) }
        return label
    }

    /// Every class above `mid`, nearest first, the root left out.
    public func ancestors(of mid: String) -> [String] {
        var result: [String] = []
        var queue = parents[mid] ?? []
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard next != root, !result.contains(next) else { continue }
            result.append(next)
            queue += parents[next] ?? []
        }
        return result
    }

    public var classCount: Int { parents.count }
}

/// What an Open Images class means in the lexicon: its synsets (several for a union name such
/// as "Rays and skates"), how they were found, or why none was.
public struct MIDMapping: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// `mids.tsv` names the sense.
        case curated
        /// Found by its place in the hierarchy or its qualifier, or one clear sense.
        case mapped
        /// Found, but nothing placed it and the name has tangible senses in other
        /// lexicographer files, or its sense 1 is abstract (the sport "Fencing"): a linguist
        /// should look.
        case ambiguous
        /// No tangible sense (not in the lexicon, abstract, or only a name), or none for one
        /// of the kinds a union name covers; such a class gives no dictionary class its MID.
        case unmapped
    }
    public var mid: String
    public var name: String
    public var synsets: [Int32]
    public var status: Status
    /// How: "under Bird", "qualifier Animal", "sense choice", "mids.tsv:12".
    public var evidence: String
}

/// Maps every Open Images class to the lexicon's synsets: by the display name's forms (the
/// name, its singular, the closed compound: "Street light" is streetlight), read without its
/// qualifier ("Bat (Animal)"), split into its parts when it names several kinds ("Rays and
/// skates", "Kitchen & dining room table": kitchen table and dining room table), "Human X" as X.
/// Among a form's senses, the ones whose hypernyms include a sense of the qualifier or of a
/// class above it in the hierarchy win ("Chicken" under Bird is the bird; "Maple" under Tree
/// the tree); without such evidence, the sense the mention extractor would choose in a
/// caption. `mids.tsv` decides before all of it. A class's MIDs are then the classes mapped to
/// its synset, the one whose name is the class name first: no longer every class whose
/// display name equals one of the synset's lemmas ("Paw" is a paw, not the hand).
public struct OpenImagesMapping: Sendable {
    public let classes: OpenImagesClasses
    public let hierarchy: OpenImagesHierarchy?
    public let mappings: [MIDMapping]
    let bySynset: [Int32: [Int]]
    let byName: [String: [Int]]
    let lexicon: Lexicon

    public init(classes: OpenImagesClasses, hierarchy: OpenImagesHierarchy?, extractor: MentionExtractor, workers: Int = 2) {
        var resolver = Resolver(extractor: extractor, classes: classes, hierarchy: hierarchy)
        var curated: [String: (synsets: [Int32], rule: String)] = [:]
        for (synset, entry) in extractor.curation.mids.sorted(by: { $0.key < $1.key }) {
            for mid in entry.mids {
                curated[mid, default: ([], entry.rule.description)].synsets.append(synset)
            }
        }
        // Curated classes are what they say, also as the context of those below them; then the
        // classes of the hierarchy (each other's context), then the rest in shares on the
        // worker threads, each with a copy of the resolver.
        for (mid, name) in classes.entries {
            if let c = curated[mid] {
                resolver.resolved[mid] = MIDMapping(mid: mid, name: name, synsets: c.synsets, status: .curated, evidence: c.rule)
            }
        }
        for (mid, name) in classes.entries where hierarchy?.parents[mid] != nil { _ = resolver.resolve(mid: mid, name: name) }
        let (entries, context) = (classes.entries, resolver)
        let mappings = parallelMap(entries.count, workers: workers) { range in
            var resolver = context
            return entries[range].map { resolver.resolve(mid: $0.mid, name: $0.name) }
        }.flatMap { $0 }
        var bySynset: [Int32: [Int]] = [:]
        var byName: [String: [Int]] = [:]
        for (i, m) in mappings.enumerated() where m.status != .unmapped {
            for s in Set(m.synsets) { bySynset[s, default: []].append(i) }
            byName[Lexicon.key(m.name), default: []].append(i)
        }
        self.classes = classes
        self.hierarchy = hierarchy
        self.mappings = mappings
        self.bySynset = bySynset
        self.byName = byName
        self.lexicon = extractor.lexicon
    }

    /// The display name of a MID, nil when the list lacks it.
    public func name(of mid: String) -> String? { classes.name(of: mid) }

    /// The Open Images classes of a dictionary class's synset: those mapped to it (curated
    /// ones aside: `mids.tsv` is read by sense), ambiguous ones only when named like the class
    /// or one of the synset's lemmas ("Sign" for the signboard); the one named `name` first,
    /// then in the list's order.
    public func classes(of synset: Int32, name: String) -> [MIDMapping] {
        let key = Lexicon.key(name)
        let names = Set([key] + lexicon.synsets[Int(synset)].lemmas.map(Lexicon.key))
        let found = (bySynset[synset] ?? []).map { mappings[$0] }
            .filter { $0.status == .mapped || ($0.status == .ambiguous && names.contains(Lexicon.key($0.name))) }
        return found.filter { Lexicon.key($0.name) == key } + found.filter { Lexicon.key($0.name) != key }
    }

    /// The Open Images classes named `name` that map to another sense of that word: for a
    /// dictionary class no class maps to, whose sense or theirs is doubtful while both mean
    /// the word ("belt" chosen as the drive belt and Open Images' Belt, curated as the worn one).
    public func namesakes(of name: String) -> [MIDMapping] {
        let key = Lexicon.key(name)
        let senses = Set(lexicon.senses(of: key).map(\.synset))
        return (byName[key] ?? []).map { mappings[$0] }.filter { $0.synsets.contains(where: senses.contains) }
    }

    /// How many classes have each status.
    public var counts: [MIDMapping.Status: Int] {
        mappings.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }
}

/// One class name to synsets: the parsing and the choice. Classes above others are resolved
/// once and remembered: they are the context of the classes below.
struct Resolver {
    let extractor: MentionExtractor
    let classes: OpenImagesClasses
    let hierarchy: OpenImagesHierarchy?
    var resolved: [String: MIDMapping] = [:]
    var inProgress: Set<String> = []
    var lexicon: Lexicon { extractor.lexicon }

    init(extractor: MentionExtractor, classes: OpenImagesClasses, hierarchy: OpenImagesHierarchy?) {
        self.extractor = extractor
        self.classes = classes
        self.hierarchy = hierarchy
    }

    mutating func resolve(mid: String, name: String) -> MIDMapping {
        if let known = resolved[mid] { return known }
        // A hierarchy with a cycle: a class in progress is no context for itself.
        guard inProgress.insert(mid).inserted else { return MIDMapping(mid: mid, name: name, synsets: [], status: .unmapped, evidence: "") }
        defer { inProgress.remove(mid) }
        let (head, qualifier) = Self.splitQualifier(name)
        // Context: the qualifier's senses, then the synsets of every class above, nearest first.
        var context: [(name: String, synsets: Set<Int32>)] = []
        if let qualifier { context.append(("qualifier " + qualifier, senses(of: qualifier))) }
        for above in hierarchy?.ancestors(of: mid) ?? [] {
            guard let aboveName = classes.name(of: above) else { continue }
            let placed = resolve(mid: above, name: aboveName)
            if !placed.synsets.isEmpty { context.append(("under " + aboveName, Set(placed.synsets))) }
        }
        var synsets: [Int32] = []
        var evidence: [String] = []
        var ambiguous = false
        var missing: [(part: String, why: String)] = []
        for part in parts(of: head) {
            guard let choice = choose(part, context: context) else {
                missing.append((part, extractor.judge(Lexicon.key(part)).verdict.explanation))
                continue
            }
            // A qualifier says the name means something other than its usual sense: when
            // neither it nor the hierarchy places a sense, the class is not that sense.
            if let qualifier, !choice.evidence.hasPrefix("qualifier "), !choice.evidence.hasPrefix("under ") {
                missing.append((part, "the qualifier \(qualifier) places no sense of it"))
                continue
            }
            if !synsets.contains(choice.synset) { synsets.append(choice.synset) }
            if !evidence.contains(choice.evidence) { evidence.append(choice.evidence) }
            ambiguous = ambiguous || choice.ambiguous
        }
        let mapping: MIDMapping
        if let first = missing.first {
            // A kind without a sense: the class is more than the senses found (listed, not used).
            let found = evidence.isEmpty ? "" : "; the rest " + evidence.joined(separator: "; ")
            let reason = synsets.isEmpty && missing.count == 1 ? first.why : "no sense for \(first.part): \(first.why)\(found)"
            mapping = MIDMapping(mid: mid, name: name, synsets: synsets, status: .unmapped, evidence: reason)
        } else {
            let status: MIDMapping.Status = ambiguous ? .ambiguous : .mapped
            mapping = MIDMapping(mid: mid, name: name, synsets: synsets, status: status, evidence: evidence.joined(separator: "; "))
        }
        resolved[mid] = mapping
        return mapping
    }

    /// "Bat (Animal)" → ("Bat", "Animal").
    static func splitQualifier(_ name: String) -> (head: String, qualifier: String?) {
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "("), open > name.startIndex else { return (name, nil) }
        let head = String(name[..<open]).trimmingSpaces()
        let qualifier = String(name[name.index(after: open)..<name.index(before: name.endIndex)]).trimmingSpaces()
        return (head, qualifier.isEmpty ? nil : qualifier)
    }

    /// The kinds a name covers: itself when the lexicon knows it whole ("Bow and arrow"), else
    /// its parts around "and", "&" and commas when they are plurals ("Rays and skates") or
    /// share the last part's head ("Kitchen & dining room table" → kitchen table, dining room
    /// table; "Baby & toddler clothing" → baby clothing, toddler clothing); "Human X" is X where
    /// the lexicon lacks the whole.
    func parts(of head: String) -> [String] {
        let key = Lexicon.key(head)
        if !forms(of: key).isEmpty { return [head] }
        if key.hasPrefix("human "), !forms(of: String(key.dropFirst(6))).isEmpty { return [String(key.dropFirst(6))] }
        let pieces = head.lowercased().replacing(" and ", with: ",").replacing("&", with: ",").split(separator: ",")
            .map { Lexicon.key(String($0)) }.filter { !$0.isEmpty }
        guard pieces.count > 1 else { return [head] }
        let lastWords = pieces[pieces.count - 1].split(separator: " ")
        if lastWords.count > 1, let shared = lastWords.last {
            // "Wall & ball sports" is wall sports and ball sports, not a wall.
            return pieces.map { $0.contains(" ") ? $0 : $0 + " " + shared }
        }
        // Kinds are named in the plural ("Rays and skates"); "Chicken and chips" is a dish.
        return pieces.allSatisfy(lexicon.isPlural) ? pieces : [head]
    }

    /// The lemma keys a name may be written as: itself, its base forms, then closed up at
    /// each space and at all of them, with their base forms ("street light" → streetlight,
    /// "dining room table" → "diningroom table", the key of dining-room table); a one-word name
    /// the lexicon knows only written apart as captions find it ("Wetsuit" → wet suit).
    func forms(of key: String) -> [String] {
        var result = lexicon.baseForms(of: key)
        let words = key.split(separator: " ")
        guard words.count > 1 else { return result.isEmpty ? extractor.splitCompoundForms(of: key) : result }
        var closed = (1..<words.count).map { i in (words[..<i].joined(separator: " ") + words[i...].joined(separator: " ")) }
        closed.append(words.joined())
        for variant in closed {
            for form in lexicon.baseForms(of: variant) where !result.contains(form) { result.append(form) }
        }
        return result
    }

    /// Every noun sense of every form of a context name (and of its parts).
    func senses(of name: String) -> Set<Int32> {
        var result: Set<Int32> = []
        for part in parts(of: Self.splitQualifier(name).head) {
            for form in forms(of: Lexicon.key(part)) { result.formUnion(lexicon.senses(of: form).map(\.synset)) }
        }
        return result
    }

    /// The sense of one part. The nearest context placing any of its senses (their hypernyms
    /// reach a context synset) gives the first sense it places, tangible ones first, in
    /// frequency order. (Preferring the caption sense or the more tagged one among the placed,
    /// or keeping a more tagged caption sense of the same lexicographer file, was measured on
    /// the boxable classes and lost more than it won: tags pick the drive belt and the
    /// baseball glove.) Without a context that places a sense, the caption sense.
    func choose(_ part: String, context: [(name: String, synsets: Set<Int32>)])
        -> (synset: Int32, evidence: String, ambiguous: Bool)?
    {
        let key = Lexicon.key(part)
        guard let form = forms(of: key).first else { return nil }
        let senses = lexicon.senses(of: form).filter { !lexicon.synsets[Int($0.synset)].isInstance }
        let ordered = senses.filter { extractor.isTangible($0.synset) } + senses.filter { !extractor.isTangible($0.synset) }
        // Each sense's hypernyms once, for every context.
        let above = context.isEmpty ? [] : ordered.map { lexicon.closure($0.synset) }
        for (name, synsets) in context where !synsets.isEmpty {
            if let best = ordered.indices.first(where: { !above[$0].isDisjoint(with: synsets) && !synsets.contains(ordered[$0].synset) }) {
                return (ordered[best].synset, name, false)
            }
        }
        let judged = extractor.judge(form)
        guard let sense = judged.sense else { return nil }
        var evidence = form == key ? "sense choice" : "sense choice of \(form)"
        // The name's first sense is abstract (the sport, not the fence): doubtful.
        if let first = senses.first, !extractor.isEligible(first.synset) {
            evidence += " (sense 1, \(lexicon.senseName(of: first.synset)), is not tangible)"
            return (sense, evidence, true)
        }
        return (sense, evidence, judged.ambiguous)
    }
}

extension OpenImagesMapping {
    public static let reportColumns = ["mid", "name", "status", "senses", "synsets", "lexfiles", "evidence", "gloss"]

    /// The mapping as a TSV for review: every class in the list's order, with its senses,
    /// how they were found or why none was, and the first sense's gloss.
    public func writeReport(to path: String) throws(PointillistError) {
        var text = Self.reportColumns.joined(separator: "\t") + "\n"
        for m in mappings {
            let nodes = m.synsets.map { lexicon.synsets[Int($0)] }
            let fields = [
                m.mid, m.name, m.status.rawValue, m.synsets.map { lexicon.senseName(of: $0) }.joined(separator: " "),
                nodes.map(\.id).joined(separator: " "), nodes.map(\.lexFile.name).joined(separator: " "), m.evidence,
                nodes.first?.gloss ?? "",
            ]
            text += fields.map(TSV.clean).joined(separator: "\t") + "\n"
        }
        try PointillistError.replacingFile(path, with: text)
    }
}
