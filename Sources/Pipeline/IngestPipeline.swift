import Dispatch
import Narratives
import Store
import Synchronization

// The ingest's concurrency: batches of lines decoded by worker threads (`DecodingBatch`,
// `DecodeQueue`) and the channel that hands them to the writer in order (`BatchChannel`).
// `Ingester` drives them; Store's `IngestWriter` stores the batches.

/// A batch of lines being decoded share by share on the decode workers. Each share's
/// lines land in a slot of their own; the writer waits until every share is done.
final class DecodingBatch: DecodedBatch, @unchecked Sendable {
    let batch: LineBatch
    /// Index of the batch's file in the run.
    let source: Int
    /// Bytes of the file on disk read up to the end of the batch.
    let diskPosition: Int64
    let shares: Int
    /// One slot per share, written once by the worker that decodes it.
    private let slots: UnsafeMutablePointer<[DecodedLine]>
    private let remaining: Atomic<Int>
    private let done = DispatchSemaphore(value: 0)

    init(_ batch: LineBatch, source: Int, diskPosition: Int64, shares: Int) {
        self.batch = batch
        self.source = source
        self.diskPosition = diskPosition
        self.shares = shares
        slots = .allocate(capacity: shares)
        slots.initialize(repeating: [], count: shares)
        remaining = Atomic(shares)
    }

    deinit {
        slots.deinitialize(count: shares)
        slots.deallocate()
    }

    /// Lines of share `share`: contiguous, in order, about equal in number.
    func lineRange(share: Int) -> Range<Int> {
        let n = batch.lines.count
        return (n * share / shares)..<(n * (share + 1) / shares)
    }

    func decode(share: Int, segmenter: TraceSegmenter) {
        let range = lineRange(share: share)
        if let overlong = batch.overlong {
            slots[share] = [.rejected(JSONError(offset: 0, reason: overlong.reason))]
        } else {
            slots[share] = batch.bytes.withUnsafeBufferPointer { bytes in
                batch.lines[range].map { Ingester.decodeLine(UnsafeBufferPointer(rebasing: bytes[$0]), segmenter: segmenter) }
            }
        }
        // The last share to finish wakes the writer; the decrement orders the slots' writes
        // before its read.
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.signal() }
    }

    /// Waits until every share is decoded, then calls `body` with each line's index in the
    /// batch and its decoded form, in order.
    func forEachDecoded<E: Error>(_ body: (Int, DecodedLine) throws(E) -> Bool) throws(E) {
        done.wait()
        for share in 0..<shares {
            var index = lineRange(share: share).lowerBound
            for line in slots[share] {
                guard try body(index, line) else { return }
                index += 1
            }
        }
    }
}

/// The decode workers' queue: shares of batches, oldest batch first.
final class DecodeQueue: Sendable {
    private struct State {
        var batches: [DecodingBatch] = []
        /// The next share of `batches[0]` to hand out.
        var nextShare = 0
        var closed = false
    }

    private let state = Mutex(State())
    /// One signal per share queued, and one per worker at closing.
    private let ready = DispatchSemaphore(value: 0)
    /// The workers that take from the queue (at least one); closing wakes each.
    let workers: Int

    init(workers: Int) {
        self.workers = max(workers, 1)
    }

    func enqueue(_ batch: DecodingBatch) {
        state.withLock { $0.batches.append(batch) }
        for _ in 0..<batch.shares { ready.signal() }
    }

    /// No more batches; workers stop once the queued shares are taken.
    func close() {
        state.withLock { $0.closed = true }
        for _ in 0..<workers { ready.signal() }
    }

    /// The next share to decode, or nil once the queue is closed and empty.
    func next() -> (DecodingBatch, Int)? {
        while true {
            ready.wait()
            let job: (DecodingBatch, Int)?? = state.withLock { s in
                guard let first = s.batches.first else { return s.closed ? .some(nil) : nil }
                let share = s.nextShare
                s.nextShare += 1
                if s.nextShare == first.shares {
                    s.batches.removeFirst()
                    s.nextShare = 0
                }
                return .some((first, share))
            }
            if let job { return job }
        }
    }
}

/// A bounded hand-over between the reading thread and the writing thread.
final class BatchChannel: Sendable {
    enum Message: Sendable {
        case batch(DecodingBatch)
        case endOfSource(Int)
        /// The file's stream is damaged after the batches put before this.
        case damaged(Int, InputDamage)
        case failed(any Error)
    }

    private struct State {
        var queue: [Message] = []
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let items = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        slots = DispatchSemaphore(value: capacity)
    }

    /// Waits for room and enqueues; false when the consumer has gone.
    func put(_ message: Message) -> Bool {
        slots.wait()
        let accepted = state.withLock { s in
            guard !s.cancelled else { return false }
            s.queue.append(message)
            return true
        }
        if accepted { items.signal() } else { slots.signal() }
        return accepted
    }

    /// No more messages will come.
    func finish() {
        state.withLock { $0.finished = true }
        items.signal()
    }

    /// The next message, or nil once the producer has finished and everything was taken.
    func take() -> Message? {
        while true {
            items.wait()
            let message: Message?? = state.withLock { s in
                if !s.queue.isEmpty { return .some(s.queue.removeFirst()) }
                if s.finished { return .some(nil) }
                return nil
            }
            if let message {
                if message != nil { slots.signal() } else { items.signal() }
                return message
            }
        }
    }

    /// The consumer stops: unblock and stop the producer.
    func cancel() {
        // Messages never taken give their slots back (a semaphore must not be freed below its
        // initial value), and one more wakes a producer waiting for room.
        let dropped = state.withLock { s in
            s.cancelled = true
            defer { s.queue.removeAll() }
            return s.queue.count
        }
        for _ in 0...dropped { slots.signal() }
    }
}
