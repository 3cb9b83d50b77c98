/// A word of running text: its span in Unicode scalars and a normalised form for matching.
public struct Token: Sendable, Equatable {
    public var start: Int
    public var length: Int
    /// Lower-cased, with apostrophes and hyphens removed: "Man's" → "mans", "T-shirt" → "tshirt".
    public var normalized: String
}

/// Splits text into words: runs of letters and digits, joined across a single apostrophe
/// or hyphen between two of them ("man's", "t-shirt" are one word each). Everything else
/// (spaces, punctuation) separates words. Offsets count Unicode scalars, as Python's str does.
public enum Tokenizer {
    public static func tokens(in text: String) -> [Token] {
        var result: [Token] = []
        append(tokensIn: text, to: &result)
        return result
    }

    /// Appends the words of `text` to `result` (one array for many texts).
    public static func append(tokensIn text: String, to result: inout [Token]) {
        // Nearly every caption and utterance is ASCII: read its bytes directly (offsets in
        // bytes are offsets in scalars) and build each normalised word from a byte buffer.
        let done = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            asciiTokens(bytes, into: &result)
            return true
        }
        if done != true { result += scalarTokens(in: text) }
    }

    /// `tokens(in:)` for ASCII text, by the same rules, appended to `result`.
    static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>, into result: inout [Token]) {
        @inline(__always) func isWord(_ c: UInt8) -> Bool {
            c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { scratch in
            var length = 0
            var start = -1
            let n = bytes.count
            // One step past the end, read as a space, ends the last word.
            for i in 0...n {
                let c = i < n ? bytes[i] : 0x20
                if isWord(c) {
                    if start < 0 { start = i }
                    scratch[length] = c &- 0x41 < 26 ? c | 0x20 : c
                    length += 1
                } else if start >= 0, c == UInt8(ascii: "'") || c == UInt8(ascii: "-"), i + 1 < n, isWord(bytes[i + 1]) {
                    // A joiner between two word characters: part of the word, not of its normalised form.
                } else if start >= 0 {
                    result.append(Token(
                        start: start, length: i - start,
                        normalized: String(decoding: UnsafeBufferPointer(rebasing: scratch[0..<length]), as: UTF8.self)))
                    start = -1
                    length = 0
                }
            }
        }
    }

    /// `tokens(in:)` for any text, scalar by scalar.
    static func scalarTokens(in text: String) -> [Token] {
        var result: [Token] = []
        var normalized = String.UnicodeScalarView()
        var start = -1
        var offset = 0
        var pendingJoiner = false  // an apostrophe or hyphen right after a word character
        let scalars = text.unicodeScalars
        var iterator = scalars.makeIterator()
        var lookahead = iterator.next()
        func isWordScalar(_ s: Unicode.Scalar) -> Bool {
            if s.isASCII {
                let v = s.value
                return (v >= 0x30 && v <= 0x39) || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
            }
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
        func flush() {
            if start >= 0 {
                let end = pendingJoiner ? offset - 1 : offset
                result.append(Token(start: start, length: end - start, normalized: String(normalized)))
            }
            start = -1
            pendingJoiner = false
            normalized = String.UnicodeScalarView()
        }
        while let scalar = lookahead {
            lookahead = iterator.next()
            if isWordScalar(scalar) {
                if start < 0 { start = offset }
                pendingJoiner = false
                if scalar.isASCII {
                    let v = scalar.value
                    normalized.append(Unicode.Scalar(UInt8(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)))
                } else {
                    normalized.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            } else if start >= 0, !pendingJoiner, scalar == "'" || scalar == "’" || scalar == "-",
                let next = lookahead, isWordScalar(next)
            {
                pendingJoiner = true
            } else {
                flush()
            }
            offset += 1
        }
        flush()
        return result
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

    /// One timed word of the utterance stream.
    struct SpokenWord {
        var token: Token
        var timed: Bool
        var start: Float
        var end: Float
    }

    public static func align(caption: String, utterances: [Utterance]) -> [Word] {
        let words = Tokenizer.tokens(in: caption)
        let spoken = spokenWords(utterances)
        let pairs = match(words.map(\.normalized), spoken.map(\.token.normalized))
        return words.indices.map { i in
            let word = words[i]
            guard let (j, status) = pairs[i] else {
                return Word(start: word.start, length: word.length, status: .notSpoken)
            }
            let s = spoken[j]
            guard s.timed else {
                return Word(start: word.start, length: word.length, status: .untimedUtterance)
            }
            return Word(start: word.start, length: word.length, status: status, startTime: s.start, endTime: s.end)
        }
    }

    static func spokenWords(_ utterances: [Utterance]) -> [SpokenWord] {
        var result: [SpokenWord] = []
        result.reserveCapacity(utterances.count * 2)
        var tokens: [Token] = []
        tokens.reserveCapacity(8)
        for u in utterances {
            tokens.removeAll(keepingCapacity: true)
            Tokenizer.append(tokensIn: u.text, to: &tokens)
            guard !tokens.isEmpty else { continue }
            let timed = u.isTimed && u.start.isFinite && u.end.isFinite
            let total = Double(tokens.reduce(0) { $0 + $1.length })
            var elapsed = 0.0
            for token in tokens {
                let from = u.start + (u.end - u.start) * elapsed / total
                elapsed += Double(token.length)
                let to = u.start + (u.end - u.start) * elapsed / total
                result.append(SpokenWord(token: token, timed: timed, start: Float(from), end: Float(to)))
            }
        }
        return result
    }

    /// For each caption token, the index of the spoken token aligned to it and how, or nil.
    static func match(_ a: [String], _ b: [String]) -> [(Int, AlignmentStatus)?] {
        var pairs = [(Int, AlignmentStatus)?](repeating: nil, count: a.count)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] {
            pairs[prefix] = (prefix, .exact)
            prefix += 1
        }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            pairs[a.count - 1 - suffix] = (b.count - 1 - suffix, .exact)
            suffix += 1
        }
        let n = a.count - prefix - suffix
        let m = b.count - prefix - suffix
        guard n > 0, m > 0 else { return pairs }

        // Needleman–Wunsch over the middle part.
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
            let x = a[prefix + i - 1]
            for j in 1...m {
                let y = b[prefix + j - 1]
                let status: AlignmentStatus = x == y ? .exact : areVariants(x, y) ? .fuzzy : .substituted
                let pairScore = status == .exact ? exactScore : status == .fuzzy ? fuzzyScore : substitutionScore
                let diagonal = score[(i - 1) * width + j - 1] + Int32(pairScore)
                let up = score[(i - 1) * width + j] + Int32(gapScore)
                let left = score[i * width + j - 1] + Int32(gapScore)
                var best = diagonal
                var step: UInt8 = 0
                if up > best { best = up; step = 1 }
                if left > best { best = left; step = 2 }
                score[i * width + j] = best
                move[i * width + j] = step
                kind[i * width + j] = status.rawValue
            }
        }
        var i = n, j = m
        while i > 0 || j > 0 {
            switch move[i * width + j] {
            case 0:
                pairs[prefix + i - 1] = (prefix + j - 1, AlignmentStatus(rawValue: kind[i * width + j]) ?? .substituted)
                i -= 1
                j -= 1
            case 1: i -= 1
            default: j -= 1
            }
        }
        return pairs
    }

    /// Whether two different normalised words are variants of one word: a plural or
    /// possessive ending ("tree"/"trees", "bus"/"buses"), or a one-letter slip in a word of
    /// four letters or more (two in eight or more).
    public static func areVariants(_ x: String, _ y: String) -> Bool {
        // Most pairs the alignment tries are unrelated words, told apart by length alone:
        // a plural adds one or two letters, a slip needs four letters and changes the length
        // by at most two.
        let cx = x.unicodeScalars.count, cy = y.unicodeScalars.count
        let shortest = min(cx, cy), difference = abs(cx - cy)
        guard shortest >= 2, difference <= 2, difference > 0 || shortest >= 4 else { return false }
        let a = Array(x.unicodeScalars), b = Array(y.unicodeScalars)
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if short.count >= 2, long.starts(with: short) {
            let rest = String(String.UnicodeScalarView(long[short.count...]))
            if rest == "s" || rest == "es" { return true }
        }
        guard short.count >= 4 else { return false }
        let limit = short.count >= 8 ? 2 : 1
        return editDistance(short, long, limit: limit) <= limit
    }

    /// Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
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
