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
public enum LMFLoader {
    public static func load(files: [String]) throws(PointillistError) -> Lexicon {
        var state = State()
        for file in files { try read(file, into: &state) }
        // Synset members name entries, which may sit in another file of the same lexicon.
        for (index, ids) in state.synsetMembers {
            state.builder.synsets[index].lemmas = ids.compactMap { state.lemmaOfEntry[$0] }
        }
        return state.builder.build(source: files.count == 1 ? "WN-LMF \(files[0])" : "WN-LMF \(files.count) files")
    }

    struct State {
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
        var entrySenses: [(synset: String, order: Int)] = []
        // The synset being read.
        var synset: LexiconBuilder.PendingSynset?
        var members: [String] = []

        func finishEntry() {
            if entryIsNoun, let lemma = entryLemma {
                if let id = entryID { state.lemmaOfEntry[id] = lemma }
                for (order, sense) in entrySenses.enumerated() {
                    state.builder.addSense(lemma: lemma, synset: sense.synset, order: sense.order == Int.max ? order : sense.order, count: 0)
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
                entrySenses.append((target, order))
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
