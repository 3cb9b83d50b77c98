import CLibXML2
import Support

/// Loads the nouns of WN-LMF XML lexicons (Open English WordNet, Open Multilingual Wordnet)
/// with libxml2's streaming `xmlTextReader`, so a 100 MB lexicon never sits in memory as a tree.
///
/// Read: `LexicalEntry` › `Lemma@writtenForm`, `Form@writtenForm` (irregular forms, used as
/// exceptions), `Sense@synset` and `Sense@n` (0-based position in the lemma's sense order);
/// `Synset@id/@ili/@members/@dc:subject` or `@lexfile` (the lexicographer file), `Definition`, and
/// `SynsetRelation@relType` `hypernym` / `instance_hypernym`. Other parts of speech are skipped.
/// Several files (one per lexicographer file, as OEWN ships them) form one lexicon.
///
/// The network is never used (`XML_PARSE_NONET`) and the DTD named by the DOCTYPE is never loaded.
///
/// WN-LMF carries no sense frequencies. With `tagCounts` (WordNet 3.0's `cntlist.rev`), a
/// noun sense whose id spells a WordNet sense key (OEWN: `oewn-toaster__1.06.00..` is
/// `toaster%1:06:00::`) gets that key's tag count, each lemma's senses are ordered by count
/// (the file's order among equals), and verbs get their summed counts: the sense choice then
/// weighs OEWN's senses as it weighs WordNet 3.0's.
public enum LMFLoader {
    public static func load(files: [String], tagCounts: String? = nil) throws(PointillistError) -> Lexicon {
        var state = State()
        if let tagCounts {
            let (nouns, verbs) = try PrincetonLoader.readCounts(path: tagCounts)
            state.nounCounts = nouns
            state.builder.verbTagCounts = verbs
        }
        for file in files { try read(file, into: &state) }
        if state.nounCounts != nil { state.builder.orderSensesByCount() }
        // Synset members name entries, which may sit in another file of the same lexicon.
        for (index, ids) in state.synsetMembers {
            state.builder.synsets[index].lemmas = ids.compactMap { state.lemmaOfEntry[$0] }
        }
        let source = files.count == 1 ? "WN-LMF \(files[0])" : "WN-LMF \(files.count) files"
        return state.builder.build(source: state.nounCounts == nil ? source : source + " (tag counts: \(tagCounts ?? ""))")
    }

    /// The WordNet sense key an OEWN sense id spells: `oewn-` dropped, `__` for `%`, dots for
    /// colons, and the lemma's escapes undone: `--` a hyphen, `-apos-` an apostrophe, `-sol-` a
    /// slash, `-plus-` a plus ("oewn-o-apos-clock__4.02.00.." → "o'clock%4:02:00::",
    /// "oewn-jack--in--the--box__1.06.00.." → "jack-in-the-box%1:06:00::"); nil for an id of
    /// another form.
    static func senseKey(ofID id: String) -> String? {
        guard id.hasPrefix("oewn-"), let split = id.firstRange(of: "__") else { return nil }
        let escaped = String(id[id.index(id.startIndex, offsetBy: 5)..<split.lowerBound])
        // Named escapes first, so that the "-" around them is not read as half of "--".
        let lemma = escaped.replacing("-apos-", with: "'").replacing("-sol-", with: "/").replacing("-plus-", with: "+")
            .replacing("--", with: "-")
        return lemma + "%" + id[split.upperBound...].replacing(".", with: ":")
    }

    struct State {
        /// WordNet 3.0's noun tag counts by sense key, when given.
        var nounCounts: [String: Int]?
        var builder = LexiconBuilder()
        var synsetMembers: [Int: [String]] = [:]  // builder index → member entry ids
        var lemmaOfEntry: [String: String] = [:]
    }

    /// The first error libxml2 reported for one reader.
    final class ErrorBox {
        var message: String?
        var line: Int?
    }

    /// One streaming pass of libxml2's reader over the file: the reader is a cursor, so the
    /// helpers that read the current node's attributes and the switch over element names stay
    /// in one function around it.
    static func read(_ path: String, into state: inout State) throws(PointillistError) {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForFile(path, nil, options) else {
            throw PointillistError(file: path, reason: "cannot open as XML")
        }
        defer { xmlFreeTextReader(reader) }
        let box = ErrorBox()
        let handler: xmlStructuredErrorFunc = { context, error in
            guard let context, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
            guard box.message == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            var text = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
            while text.last == "\n" { text.removeLast() }
            box.message = text
            box.line = Int(error.pointee.line)
        }
        xmlTextReaderSetStructuredErrorHandler(reader, handler, Unmanaged.passUnretained(box).toOpaque())

        func attribute(_ name: String) -> String? {
            guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
            defer { pointillist_xml_free(value) }
            return String(cString: value)
        }
        func fail(_ reason: String) -> PointillistError {
            // The node's own line: the parser itself may already have read further ahead.
            let node = xmlTextReaderCurrentNode(reader)
            let line = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
            return PointillistError(file: path, line: line, reason: reason)
        }

        // The entry being read.
        var entryID: String?
        var entryLemma: String?
        var entryIsNoun = false
        var forms: [String] = []
        var entrySenses: [(synset: String, order: Int, count: Int)] = []
        // The synset being read.
        var synset: LexiconBuilder.PendingSynset?
        var members: [String] = []

        func finishEntry() {
            if entryIsNoun, let lemma = entryLemma {
                if let id = entryID { state.lemmaOfEntry[id] = lemma }
                for (position, sense) in entrySenses.enumerated() {
                    let order = sense.order == Int.max ? position : sense.order
                    state.builder.addSense(lemma: lemma, synset: sense.synset, order: order, count: sense.count)
                }
                for form in forms { state.builder.addException(form: form, base: lemma) }
            }
            entryID = nil
            entryLemma = nil
            entryIsNoun = false
            forms = []
            entrySenses = []
        }
        func finishSynset() {
            guard let s = synset else { return }
            state.synsetMembers[state.builder.synsets.count] = members
            state.builder.synsets.append(s)
            synset = nil
            members = []
        }

        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                throw PointillistError(file: path, line: box.line, reason: box.message ?? "malformed XML")
            }
            let type = xmlTextReaderNodeType(reader)
            guard let namePointer = xmlTextReaderConstLocalName(reader) else { continue }
            let name = String(cString: namePointer)
            let isEnd = type == Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) || isEnd else { continue }
            let isEmpty = !isEnd && xmlTextReaderIsEmptyElement(reader) == 1

            switch (name, isEnd) {
            case ("LexicalEntry", false):
                entryID = attribute("id")
                if isEmpty { finishEntry() }
            case ("LexicalEntry", true):
                finishEntry()
            case ("Lemma", false):
                guard let form = attribute("writtenForm") else { throw fail("Lemma without writtenForm") }
                entryLemma = form
                entryIsNoun = attribute("partOfSpeech") == "n"
                if let pos = attribute("partOfSpeech"), pos == "a" || pos == "s" { state.builder.adjectives.insert(Lexicon.key(form)) }
            case ("Form", false):
                if let form = attribute("writtenForm") { forms.append(form) }
            case ("Sense", false):
                guard let target = attribute("synset") else { throw fail("Sense without synset") }
                let order = attribute("n").flatMap { Int($0) } ?? Int.max
                let key = state.nounCounts != nil && entryIsNoun ? attribute("id").flatMap(senseKey(ofID:)) : nil
                entrySenses.append((target, order, key.flatMap { state.nounCounts?[$0] } ?? 0))
            case ("Synset", false):
                guard let id = attribute("id") else { throw fail("Synset without id") }
                synset = nil
                guard attribute("partOfSpeech") == "n" else { continue }  // its children are ignored too
                // WN-LMF 1.1 names it dc:subject; OEWN 2024 and later write a lexfile attribute.
                let subject = attribute("dc:subject") ?? attribute("subject") ?? attribute("lexfile")
                var lexFile = LexFile(number: 3)  // noun.Tops when the lexicon does not say
                if let subject {
                    guard let f = LexFile(name: subject) else { throw fail("Synset \(id): unknown lexicographer file '\(subject)'") }
                    lexFile = f
                }
                synset = .init(
                    id: id, lexFile: lexFile, lemmas: [], hypernyms: [], instanceOf: [], gloss: "",
                    ili: attribute("ili").flatMap { $0.isEmpty || $0 == "in" ? nil : $0 })
                members = (attribute("members") ?? "").split(separator: " ").map(String.init)
                if isEmpty { finishSynset() }
            case ("Synset", true):
                finishSynset()
            case ("Definition", false):
                guard synset != nil, synset?.gloss.isEmpty == true else { continue }
                if let text = xmlTextReaderReadString(reader) {
                    synset?.gloss = String(cString: text)
                    pointillist_xml_free(text)
                }
            case ("SynsetRelation", false):
                guard synset != nil, let relation = attribute("relType"), let target = attribute("target") else { continue }
                if relation == "hypernym" {
                    synset?.hypernyms.append(target)
                } else if relation == "instance_hypernym" {
                    synset?.instanceOf.append(target)
                }
            default:
                break
            }
        }
        if let message = box.message { throw PointillistError(file: path, line: box.line, reason: message) }
    }
}
