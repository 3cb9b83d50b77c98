import Glibc
import Support

/// Finds the image file of an image id under a root directory, by a naming pattern.
///
/// A pattern is a relative path with placeholders:
/// - `{id}`: the id as given. Ids may contain `/` (VidLN frames are named
///   `OVIS_train/<video_id>/<frame>`), but an id that is empty, absolute or has an empty,
///   `.` or `..` component is refused, so an id cannot reach outside the root.
/// - `{id:0N}`: the id left-padded with zeros to N digits; the id must then be all digits
///   (COCO files are named by 12-digit ids: `{id:012}.jpg` makes `397133` `000000397133.jpg`).
///   A longer id is used as is.
/// - `{ext}`: each of `extensions` in turn; the first file that exists wins.
///
/// The presets name the usual layouts; the file's contents decide how it is decoded
/// (see `ImageFile`), whatever its extension.
public struct ImageLocator: Sendable, Equatable {
    public var root: String
    public var pattern: String
    public var extensions: [String]
    private var parts: [Part]

    private enum Part: Sendable, Equatable {
        case text(String)
        case id(padding: Int)
        case ext
    }

    /// A locator for `pattern` under `root`; `extensions` (without dots) fill `{ext}`.
    public init(root: String, pattern: String, extensions: [String] = ["jpg", "jpeg", "png"]) throws(PointillistError) {
        self.root = root
        self.pattern = pattern
        self.extensions = extensions
        parts = try ImageLocator.parse(pattern)
        guard parts.contains(where: { if case .id = $0 { true } else { false } }) else {
            throw PointillistError("it has no {id} placeholder", doing: "image name pattern \"\(pattern)\"")
        }
        if parts.contains(.ext), extensions.isEmpty {
            throw PointillistError("it has {ext} but no extensions are given", doing: "image name pattern \"\(pattern)\"")
        }
        guard !pattern.hasPrefix("/") else { throw PointillistError("it must be relative to the root", doing: "image name pattern \"\(pattern)\"") }
    }

    /// Open Images: `<root>/<id>.jpg`, ids like `0a0f9c7d2e1b3c44`.
    public static func openImages(root: String) -> ImageLocator { preset(root: root, pattern: "{id}.jpg") }
    /// COCO 2017: `<root>/<12-digit zero-padded id>.jpg` (`397133` → `000000397133.jpg`).
    public static func coco(root: String) -> ImageLocator { preset(root: root, pattern: "{id:012}.jpg") }
    /// Flickr30k: `<root>/<id>.jpg`.
    public static func flickr30k(root: String) -> ImageLocator { preset(root: root, pattern: "{id}.jpg") }
    /// Video Localized Narratives keyframes: id `OVIS_train/<video_id>/<frame>` →
    /// `<root>/frames/OVIS_train/<video_id>/<frame>.jpg`.
    public static func vidln(root: String) -> ImageLocator { preset(root: root, pattern: "frames/{id}.jpg") }

    private static func preset(root: String, pattern: String) -> ImageLocator {
        // The preset patterns are constants that parse; the fallback only satisfies the types.
        (try? ImageLocator(root: root, pattern: pattern)) ?? ImageLocator(root: root, pattern: pattern, parts: [.text(pattern)])
    }

    private init(root: String, pattern: String, parts: [Part]) {
        self.root = root
        self.pattern = pattern
        self.extensions = []
        self.parts = parts
    }

    /// The candidate paths for `id` in the order they are tried (one unless the pattern has
    /// `{ext}`), or why the id cannot be used with this pattern.
    public func paths(for id: String) -> Result<[String], PointillistError> {
        if let problem = ImageLocator.problem(with: id) {
            return .failure(PointillistError(file: root, reason: "invalid image id \"\(id)\": \(problem)"))
        }
        if parts.contains(where: { if case .id(let padding) = $0 { padding > 0 } else { false } }),
            !id.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        {
            return .failure(PointillistError(file: root, reason: "image id \"\(id)\" is not numeric, as \(pattern) requires"))
        }
        let directory = root.isEmpty || root.hasSuffix("/") ? root : root + "/"
        let choices = parts.contains(.ext) ? extensions : [""]
        return .success(choices.map { ext in directory + name(id: id, ext: ext) })
    }

    /// The pattern filled in with `id` (already checked) and `ext`.
    private func name(id: String, ext: String) -> String {
        var name = ""
        for part in parts {
            switch part {
            case .text(let text): name += text
            case .ext: name += ext
            case .id(let padding): name += String(repeating: "0", count: max(0, padding - id.utf8.count)) + id
            }
        }
        return name
    }

    /// The path of the image file for `id`, or nil when no candidate exists (or the id is
    /// invalid for this pattern).
    public func locate(_ id: String) -> String? {
        guard case .success(let candidates) = paths(for: id) else { return nil }
        return candidates.first(where: ImageLocator.isFile)
    }

    /// The width and height stored in the header of the image file for `id` (`ImageFile.readSize`).
    public func size(_ id: String) throws(PointillistError) -> (width: Int, height: Int) {
        guard let path = locate(id) else { throw PointillistError(file: root, reason: "image \(id) not found") }
        return try ImageFile.readSize(path)
    }

    /// The decoded image for `id` (see `ImageFile.read`).
    public func load(_ id: String, layout: ImageFile.Layout = .rgb, workingSide: Int? = nil) throws(PointillistError) -> Image {
        let candidates: [String]
        switch paths(for: id) {
        case .success(let found): candidates = found
        case .failure(let error): throw error
        }
        guard let path = candidates.first(where: ImageLocator.isFile) else {
            let shown = candidates.count == 1 ? candidates[0] : candidates.joined(separator: " or ")
            throw PointillistError(file: shown, reason: "image \(id) not found at \(shown)")
        }
        return try ImageFile.read(path, layout: layout, workingSide: workingSide)
    }

    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Why `id` cannot name a file under the root, or nil if it can.
    static func problem(with id: String) -> String? {
        if id.isEmpty { return "empty" }
        if id.hasPrefix("/") { return "absolute path" }
        if id.utf8.contains(0) { return "contains a NUL byte" }
        for component in id.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." { return "path component \"\(component)\"" }
        }
        return nil
    }

    private static func parse(_ pattern: String) throws(PointillistError) -> [Part] {
        var parts: [Part] = []
        var text = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            guard !rest[..<open].contains("}") else { throw PointillistError("unmatched }", doing: "image name pattern \"\(pattern)\"") }
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PointillistError("unclosed {", doing: "image name pattern \"\(pattern)\"")
            }
            let name = rest[rest.index(after: open)..<close]
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
            if name == "id" {
                parts.append(.id(padding: 0))
            } else if name == "ext" {
                parts.append(.ext)
            } else if name.hasPrefix("id:0"), let width = Int(name.dropFirst(4)), width > 0, width <= 64 {
                parts.append(.id(padding: width))
            } else {
                throw PointillistError("unknown placeholder {\(name)} (known: {id}, {id:0N}, {ext})", doing: "image name pattern \"\(pattern)\"")
            }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { throw PointillistError("unmatched }", doing: "image name pattern \"\(pattern)\"") }
        text += rest
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }
}

/// An image the data could not use, and why.
public struct SkippedImage: Sendable {
    public var imageID: String
    public var reason: String

    public init(imageID: String, reason: String) {
        self.imageID = imageID
        self.reason = reason
    }
}
