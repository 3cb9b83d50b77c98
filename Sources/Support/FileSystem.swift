import Glibc

/// Files: paths, directories, shell-style glob patterns, and atomic writes (`writeAtomically`).
public enum FileSystem {
    package static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return buffer.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress, getcwd(base, b.count) != nil else { return "." }
            return String(cString: base)
        }
    }

    /// Removes `.` components and repeated slashes (symbolic links are left alone).
    package static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", !parts.isEmpty, parts.last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path made absolute from the current directory and normalised: one spelling of a
    /// file however it was named ("answers.csv", "./answers.csv").
    package static func absolute(_ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : currentDirectory + "/" + path)
    }

    /// The bytes of the regular file at `path`, or its first `limit` bytes; a missing file, a
    /// directory or a file over `maxFileBytes` is an error naming the path and why.
    public static func readBytes(_ path: String, limit: Int? = nil, maxFileBytes: Int = .max) throws(PointillistError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PointillistError(file: path, reason: systemReason(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PointillistError(file: path, reason: systemReason(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw PointillistError(file: path, reason: (info.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maxFileBytes else {
            throw PointillistError(file: path, reason: "file too large: \(size) bytes (limit \(maxFileBytes))")
        }
        let wanted = min(size, limit ?? size)
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while filled < wanted {
                let n = Glibc.read(fd, base + filled, wanted - filled)
                if n > 0 {
                    filled += n
                } else if n == 0 {
                    break  // The file shrank since fstat; keep what there is.
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        guard failure == 0 else { throw PointillistError(file: path, reason: systemReason(failure)) }
        return filled == wanted ? bytes : Array(bytes.prefix(filled))
    }

    /// A system error number in words, the common ones as this program words them.
    package static func systemReason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory"
        default: return String(cString: strerror(code))
        }
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether two paths name one existing file (the same device and inode: through links,
    /// relative spellings and hard links alike).
    package static func isSameFile(_ a: String, _ b: String) -> Bool {
        var x = stat()
        var y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    package static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { i in
            result.gl_pathv[i].map { String(cString: $0) }
        }
    }

}

/// Where `FileSystem.writeAtomically`'s producer writes: the temporary file, through a buffer;
/// or any open descriptor, such as standard output (`flush()` before the end).
public struct FileSink {
    let descriptor: Int32
    /// The temporary file's path, for errors.
    let path: String
    var buffer: [UInt8] = []
    /// Bytes handed to `write` so far.
    public private(set) var count = 0

    static let bufferSize = 1 << 16

    /// Writes to `descriptor`, which stays open; `path` names it in errors.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(Self.bufferSize)
    }

    public mutating func write(_ bytes: some Collection<UInt8>) throws(PointillistError) {
        count += bytes.count
        if buffer.count + bytes.count > Self.bufferSize {
            try flush()
            if bytes.count >= Self.bufferSize {
                try writeAll(Array(bytes))
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func write(_ text: String) throws(PointillistError) {
        try write(text.utf8)
    }

    public mutating func flush() throws(PointillistError) {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func writeAll(_ bytes: [UInt8]) throws(PointillistError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw PointillistError(file: path, reason: "cannot write: " + String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

extension FileSystem {
    /// Replaces the file at `path` with what `produce` writes, atomically: readers, and a
    /// program killed at any moment (even `kill -9`), see the old file or the new one whole,
    /// never a part of one and never no file where there was one.
    ///
    /// `produce` writes to `.<name>.<pid>.tmp` in the same directory (so the rename stays on
    /// one file system); when it returns, the file is closed and renamed over `path` with
    /// rename(2), which replaces the target in one step. If `produce` or a write throws, the
    /// temporary file is removed, the old file is left as it was, and the error is rethrown
    /// (a `PointillistError` for the system's errors, `produce`'s own otherwise). Temporary files
    /// of the same target left by processes no longer running (killed mid-write) are removed
    /// first, so an interrupted run leaves nothing behind once it is run again; this reads the
    /// directory once per call.
    ///
    /// `durable` also fsyncs the file before the rename and the directory after it, so the new
    /// file survives a power loss or an operating-system crash once this returns; without it
    /// (bulk output that is regenerated anyway, such as generated scenes) the replacement is
    /// still atomic for every process, only not forced to disk. The new file gets the default
    /// permissions (0666 less the umask), not the old file's; a symbolic link at `path` is
    /// replaced by the file, not followed.
    public static func writeAtomically(
        to path: String, durable: Bool = true, _ produce: (inout FileSink) throws -> Void
    ) throws {
        guard let (directory, name, temporary) = temporaryPath(for: path) else {
            throw PointillistError(file: path, reason: "cannot write: not a file name")
        }
        removeStaleTemporaries(of: name, in: directory)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw PointillistError(file: path, reason: "cannot write: " + String(cString: strerror(errno))) }
        var closed = false
        do {
            var sink = FileSink(descriptor: descriptor, path: temporary)
            try produce(&sink)
            try sink.flush()
            if durable, fsync(descriptor) != 0 {
                throw PointillistError(file: temporary, reason: "cannot write: " + String(cString: strerror(errno)))
            }
            closed = true
            if close(descriptor) != 0 { throw PointillistError(file: temporary, reason: "cannot write: " + String(cString: strerror(errno))) }
            if rename(temporary, path) != 0 { throw PointillistError(file: path, reason: "cannot write: " + String(cString: strerror(errno))) }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        if durable {
            // The rename is recorded in the directory; without this it may not reach the disk.
            let d = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if d >= 0 {
                defer { close(d) }
                if fsync(d) != 0 { throw PointillistError(file: directory, reason: "cannot write: fsync: " + String(cString: strerror(errno))) }
            }
        }
    }

    /// The directory and name of `path`, and the temporary file `writeAtomically` writes
    /// beside it; nil when `path` names no file (empty, or ending in `/`).
    static func temporaryPath(for path: String) -> (directory: String, name: String, temporary: String)? {
        let slash = path.lastIndex(of: "/")
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { return nil }
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let prefix = slash == nil ? "" : directory == "/" ? "/" : directory + "/"
        return (directory, name, prefix + ".\(name).\(getpid()).tmp")
    }

    /// Removes `.<name>.<pid>.tmp` files in `directory` whose process is gone.
    static func removeStaleTemporaries(of name: String, in directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let prefix = "." + name + "."
        while let entry = readdir(dir) {
            let candidate = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard candidate.hasPrefix(prefix), candidate.hasSuffix(".tmp") else { continue }
            let middle = candidate.dropFirst(prefix.count).dropLast(4)
            guard !middle.isEmpty, middle.allSatisfy(\.isASCII), middle.allSatisfy(\.isNumber), let pid = Int32(middle) else { continue }
            if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
            unlink((directory == "/" ? "/" : directory + "/") + candidate)
        }
    }
}
