/// The classes of one evaluation, numbered from 0: those of the point labels first (keyed by
/// their `Label`, an Open Images MID or a class id, and named by their `TextLabel`), then
/// those of the masks' class tables that match none of them.
///
/// A mask class matches a point-label class when its name equals the class's label (a MID in
/// a class table or a per-class mask's file name) or, ignoring case, its display name (the
/// generated scenes' `classes.tsv` names, which are the dictionary's names).
public struct ClassSpace: Sendable, Equatable {
    /// Per class: its label (the point labels' `Label`, or a mask class's name).
    public private(set) var labels: [String] = []
    /// Per class: its display name.
    public private(set) var names: [String] = []
    private var indexOfLabel: [String: Int32] = [:]
    private var indexOfName: [String: Int32] = [:]

    public init() {}

    public var count: Int { labels.count }

    /// The class of a point label row, added when new (its first display name stays).
    public mutating func pointLabelClass(label: String, name: String) -> Int32 {
        if let index = indexOfLabel[label] { return index }
        return add(label: label, name: name.isEmpty ? label : name)
    }

    /// The class a mask names: the point labels' class of that label or display name, else a
    /// new class of its own.
    public mutating func maskClass(_ name: String) -> Int32 {
        if let index = indexOfLabel[name] ?? indexOfName[name.lowercased()] { return index }
        return add(label: name, name: name)
    }

    /// The class of a label, if there is one.
    public func index(ofLabel label: String) -> Int32? { indexOfLabel[label] }

    private mutating func add(label: String, name: String) -> Int32 {
        let index = Int32(labels.count)
        labels.append(label)
        names.append(name)
        indexOfLabel[label] = index
        if indexOfName[name.lowercased()] == nil { indexOfName[name.lowercased()] = index }
        return index
    }
}
