// The words of running text, shared by the narratives' alignment, the lexicon's lemma keys
// and the mention extractor: one tokenizer, one normalisation.

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
        // bytes are offsets in scalars).
        let done = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard isASCII(bytes) else { return false }
            asciiTokens(bytes, into: &result)
            return true
        }
        if done != true { result += scalarTokens(in: text) }
    }

    /// Whether every byte is below 0x80, eight at a time.
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0, any: UInt64 = 0
        while i + 8 <= bytes.count {
            any |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            any |= UInt64(base[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// `tokens(in:)` for ASCII text, by the same rules, appended to `result`.
    static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>, into result: inout [Token]) {
        forEachASCIIWord(bytes) { start, length, normalized in
            result.append(Token(start: start, length: length, normalized: String(decoding: normalized, as: UTF8.self)))
        }
    }

    /// Calls `word` with each word of ASCII text in order: its start and length in bytes
    /// (which are scalars) and its normalised bytes (valid during the call). The rules of
    /// `tokens(in:)`: runs of letters and digits, joined across a single apostrophe or hyphen
    /// between two of them, lower-cased, joiners left out.
    /// Inlinable: the aligner calls it on every caption and utterance, and the closure is
    /// inlined into its loop only where the body is visible.
    @inlinable @inline(__always)
    public static func forEachASCIIWord(
        _ bytes: UnsafeBufferPointer<UInt8>, _ word: (Int, Int, UnsafeBufferPointer<UInt8>) -> Void
    ) {
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
                    word(start, i - start, UnsafeBufferPointer(rebasing: scratch[0..<length]))
                    start = -1
                    length = 0
                }
            }
        }
    }

    /// `tokens(in:)` for any text, scalar by scalar.
    public static func scalarTokens(in text: String) -> [Token] {
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
