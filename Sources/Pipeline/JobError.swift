/// A job cannot start or finish for a reason the user can fix (a missing corpus, too few
/// classes, nothing to train on): the message says what and what to do.
public struct JobError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
