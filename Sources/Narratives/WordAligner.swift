import Support
import Text

/// The words of one or more texts, split and normalised by `Tokenizer`'s rules, for the
/// aligner: each word's span and its normalised form in UTF-8, all words' forms one after
/// another in one array, and a hash of each form to compare words by. No string is made per
/// word.
struct NormalisedWords {
    struct Entry {
        /// Span in the word's own text, in Unicode scalars.
        var start: Int
        var length: Int
        /// The normalised form: `bytes[from..<from + count]`, UTF-8.
        var from: Int
        var count: Int
        var hash: UInt64
        /// Whether the form is ASCII (its bytes are its scalars).
        var isASCII: Bool
    }

    var bytes: [UInt8] = []
    var words: [Entry] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
        words.reserveCapacity(capacity / 4)
    }

    /// Appends the words of `text`.
    mutating func append(_ text: String) {
        var text = text
        let done = text.withUTF8 { utf8 in
            guard Tokenizer.isASCII(utf8) else { return false }
            appendASCII(utf8)
            return true
        }
        if !done {
            for token in Tokenizer.scalarTokens(in: text) {
                let form = Array(token.normalized.utf8)
                form.withUnsafeBufferPointer {
                    append(start: token.start, length: token.length, form: $0, isASCII: form.count == token.normalized.unicodeScalars.count)
                }
            }
        }
    }

    /// Appends the words of ASCII text (`Tokenizer.forEachASCIIWord`).
    mutating func appendASCII(_ text: UnsafeBufferPointer<UInt8>) {
        Tokenizer.forEachASCIIWord(text) { start, length, form in
            append(start: start, length: length, form: form, isASCII: true)
        }
    }

    @inline(__always)
    private mutating func append(start: Int, length: Int, form: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        let hash = StableHash.fnv1a(form)
        words.append(Entry(start: start, length: length, from: bytes.count, count: form.count, hash: hash, isASCII: isASCII))
        bytes.append(contentsOf: form)
    }

    /// The normalised form of word `i`, UTF-8.
    func form(_ i: Int) -> ArraySlice<UInt8> {
        bytes[words[i].from..<words[i].from + words[i].count]
    }

    /// Whether word `i` here and word `j` of `other` have the same normalised form.
    @inline(__always)
    func same(_ i: Int, _ other: NormalisedWords, _ j: Int) -> Bool {
        let x = words[i], y = other.words[j]
        return x.hash == y.hash && x.count == y.count && form(i).elementsEqual(other.form(j))
    }

    /// Whether word `i` here and word `j` of `other` are variants (`WordAligner.areVariants`).
    func areVariants(_ i: Int, _ other: NormalisedWords, _ j: Int) -> Bool {
        if words[i].isASCII, other.words[j].isASCII {
            return WordAligner.areVariants(form(i), other.form(j))
        }
        func scalars(_ form: ArraySlice<UInt8>) -> ArraySlice<UInt32> {
            ArraySlice(String(decoding: form, as: UTF8.self).unicodeScalars.map(\.value))
        }
        return WordAligner.areVariants(scalars(form(i)), scalars(other.form(j)))
    }
}

/// Aligns caption words with the timed utterances.
///
/// Utterances are the caption in spoken chunks, in order, but their case, punctuation and
/// occasionally wording differ from the caption. Both sides are tokenised the same way and
/// aligned as sequences (global alignment: exact match +3, close variant +2, substitution −1,
/// gap −2), after trimming the common prefix and suffix so that the usual near-identical
/// pair costs linear time. A word inside a multi-word utterance gets a share of the
/// utterance's time proportional to its length.
public enum WordAligner {
    /// Scores of the sequence alignment (exposed for documentation and tests).
    public static let exactScore = 3, fuzzyScore = 2, substitutionScore = -1, gapScore = -2

    /// When each word of the utterance stream was spoken.
    struct SpokenTime {
        var timed: Bool
        var start: Float
        var end: Float
    }

    public static func align(caption: String, utterances: [Utterance]) -> [Word] {
        var words = NormalisedWords(capacity: caption.utf8.count)
        words.append(caption)
        let (spoken, times) = spokenWords(utterances, capacity: caption.utf8.count)
        let pairs = match(words, spoken)
        return words.words.indices.map { i in
            let word = words.words[i]
            guard let (j, status) = pairs[i] else {
                return Word(start: word.start, length: word.length, status: .notSpoken)
            }
            let s = times[j]
            guard s.timed else {
                return Word(start: word.start, length: word.length, status: .untimedUtterance)
            }
            return Word(start: word.start, length: word.length, status: status, startTime: s.start, endTime: s.end)
        }
    }

    /// The utterances' words, and when each was spoken.
    static func spokenWords(_ utterances: [Utterance], capacity: Int = 0) -> (NormalisedWords, [SpokenTime]) {
        var list = NormalisedWords(capacity: capacity)
        var times: [SpokenTime] = []
        times.reserveCapacity(utterances.count * 2)
        for u in utterances {
            let first = list.words.count
            list.append(u.text)
            guard list.words.count > first else { continue }
            let timed = u.isTimed && u.start.isFinite && u.end.isFinite
            let total = Double(list.words[first...].reduce(0) { $0 + $1.length })
            var elapsed = 0.0
            for word in list.words[first...] {
                let from = u.start + (u.end - u.start) * elapsed / total
                elapsed += Double(word.length)
                let to = u.start + (u.end - u.start) * elapsed / total
                times.append(SpokenTime(timed: timed, start: Float(from), end: Float(to)))
            }
        }
        return (list, times)
    }

    /// For each word of `a`, the index of the word of `b` aligned to it and how, or nil.
    static func match(_ a: NormalisedWords, _ b: NormalisedWords) -> [(Int, AlignmentStatus)?] {
        let aCount = a.words.count, bCount = b.words.count
        var pairs = [(Int, AlignmentStatus)?](repeating: nil, count: aCount)
        var prefix = 0
        while prefix < aCount, prefix < bCount, a.same(prefix, b, prefix) {
            pairs[prefix] = (prefix, .exact)
            prefix += 1
        }
        var suffix = 0
        while suffix < aCount - prefix, suffix < bCount - prefix, a.same(aCount - 1 - suffix, b, bCount - 1 - suffix) {
            pairs[aCount - 1 - suffix] = (bCount - 1 - suffix, .exact)
            suffix += 1
        }
        let n = aCount - prefix - suffix
        let m = bCount - prefix - suffix
        guard n > 0, m > 0 else { return pairs }
        if n * m <= fullAlignmentCells {
            alignMiddle(a, prefix..<prefix + n, b, prefix..<prefix + m, into: &pairs)
            return pairs
        }
        // A middle too large to align whole (never a real narrative: thousands of words on
        // each side that differ) is cut into consecutive blocks of at most `blockWords`
        // words on the longer side, paired in proportion, each aligned on its own: time and
        // memory stay linear in the words, at the price of exactness at block edges.
        let blocks = (max(n, m) + blockWords - 1) / blockWords
        for k in 0..<blocks {
            let aBlock = (prefix + n * k / blocks)..<(prefix + n * (k + 1) / blocks)
            let bBlock = (prefix + m * k / blocks)..<(prefix + m * (k + 1) / blocks)
            if !aBlock.isEmpty, !bBlock.isEmpty { alignMiddle(a, aBlock, b, bBlock, into: &pairs) }
        }
        return pairs
    }

    /// Largest middle part (words × words) aligned as a whole: 24 MB of tables.
    static let fullAlignmentCells = 1 << 22
    /// Block length, in words of the longer side, when the middle part is larger.
    static let blockWords = 64

    /// Needleman–Wunsch between words `aRange` of `a` and `bRange` of `b`.
    static func alignMiddle(
        _ a: NormalisedWords, _ aRange: Range<Int>, _ b: NormalisedWords, _ bRange: Range<Int>,
        into pairs: inout [(Int, AlignmentStatus)?]
    ) {
        let n = aRange.count, m = bRange.count
        let aStart = aRange.lowerBound, bStart = bRange.lowerBound
        let width = m + 1
        var score = [Int32](repeating: 0, count: (n + 1) * width)
        var move = [UInt8](repeating: 0, count: (n + 1) * width)  // 0 diagonal, 1 up (gap in b), 2 left (gap in a)
        var kind = [UInt8](repeating: 0, count: (n + 1) * width)  // for diagonals: the status
        for i in 1...n {
            score[i * width] = Int32(i * gapScore)
            move[i * width] = 1
        }
        for j in 1...m {
            score[j] = Int32(j * gapScore)
            move[j] = 2
        }
        for i in 1...n {
            let x = aStart + i - 1
            for j in 1...m {
                let y = bStart + j - 1
                let status: AlignmentStatus = a.same(x, b, y) ? .exact : a.areVariants(x, b, y) ? .fuzzy : .substituted
                let pairScore = status == .exact ? exactScore : status == .fuzzy ? fuzzyScore : substitutionScore
                let diagonal = score[(i - 1) * width + j - 1] + Int32(pairScore)
                let up = score[(i - 1) * width + j] + Int32(gapScore)
                let left = score[i * width + j - 1] + Int32(gapScore)
                var best = diagonal
                var step: UInt8 = 0
                if up > best {
                    best = up
                    step = 1
                }
                if left > best {
                    best = left
                    step = 2
                }
                score[i * width + j] = best
                move[i * width + j] = step
                kind[i * width + j] = status.rawValue
            }
        }
        var i = n, j = m
        while i > 0 || j > 0 {
            switch move[i * width + j] {
            case 0:
                pairs[aStart + i - 1] = (bStart + j - 1, AlignmentStatus(rawValue: kind[i * width + j]) ?? .substituted)
                i -= 1
                j -= 1
            case 1: i -= 1
            default: j -= 1
            }
        }
    }

    /// Whether two different normalised words are variants of one word: a plural or
    /// possessive ending ("tree"/"trees", "bus"/"buses"), or a one-letter slip in a word of
    /// four letters or more (two in eight or more).
    public static func areVariants(_ x: String, _ y: String) -> Bool {
        areVariants(ArraySlice(x.unicodeScalars.map(\.value)), ArraySlice(y.unicodeScalars.map(\.value)))
    }

    /// `areVariants` on the words' Unicode scalar values (or bytes, for ASCII words).
    static func areVariants<Scalar: FixedWidthInteger>(_ x: ArraySlice<Scalar>, _ y: ArraySlice<Scalar>) -> Bool {
        // Most pairs the alignment tries are unrelated words, told apart by length alone:
        // a plural adds one or two letters, a slip needs four letters and changes the length
        // by at most two.
        let shortest = min(x.count, y.count), difference = abs(x.count - y.count)
        guard shortest >= 2, difference <= 2, difference > 0 || shortest >= 4 else { return false }
        let (short, long) = x.count <= y.count ? (x, y) : (y, x)
        if long.starts(with: short) {
            let rest = long.dropFirst(short.count)
            let s = Scalar(UInt8(ascii: "s")), e = Scalar(UInt8(ascii: "e"))
            if rest.elementsEqual([s]) || rest.elementsEqual([e, s]) { return true }
        }
        guard short.count >= 4 else { return false }
        let limit = short.count >= 8 ? 2 : 1
        return editDistance(Array(short), Array(long), limit: limit) <= limit
    }

    /// Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`.
    static func editDistance<Scalar: Equatable>(_ a: [Scalar], _ b: [Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMinimum = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
