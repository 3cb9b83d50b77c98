import CLinux

/// Process and thread settings from glibc and Linux that Swift's Glibc module does not import
/// (the `CLinux` shim, imported here only).
public enum Platform {
    /// Keeps blocks below `bytes` in the heap instead of mapping each one, and the heap
    /// untrimmed below `trim` bytes: for programs that allocate and free large buffers per item.
    public static func keepLargeBlocksInHeap(below bytes: Int32, trimAbove trim: Int32) {
        pointillist_keep_large_blocks(bytes, trim)
    }

    /// Lowers the calling thread's priority by `steps` nice levels, for that thread alone.
    public static func lowerThreadPriority(by steps: Int32) {
        pointillist_lower_thread_priority(steps)
    }
}
