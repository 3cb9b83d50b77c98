extension StringProtocol {
    /// The lines of a text file's contents, whether they end in LF or CRLF: "\r\n" is one
    /// `Character` in Swift, so splitting at "\n" alone would read a CRLF file as one line.
    public func fileLines(omittingEmpty: Bool = true) -> [SubSequence] {
        split(omittingEmptySubsequences: omittingEmpty, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
