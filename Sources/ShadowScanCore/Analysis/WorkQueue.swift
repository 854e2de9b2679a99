import Dispatch
import Foundation

/// A fixed set of reusable chunk buffers: the reader waits for a free one, so memory stays bounded
/// however fast it reads.
final class BufferPool: @unchecked Sendable {
    private var free: [ChunkBuffer]
    private let lock = NSLock()
    private let available: DispatchSemaphore

    init(count: Int, capacity: Int) {
        free = (0..<count).map { _ in ChunkBuffer(capacity: capacity) }
        available = DispatchSemaphore(value: count)
    }

    func acquire() -> ChunkBuffer {
        available.wait()
        lock.lock(); defer { lock.unlock() }
        return free.removeLast()
    }

    func release(_ buffer: ChunkBuffer) {
        lock.lock()
        free.append(buffer)
        lock.unlock()
        available.signal()
    }
}

/// Hands work items from the reader to the workers, first in first out; `pop` returns nil once the
/// reader has closed the queue and it is empty.
final class WorkQueue: @unchecked Sendable {
    private var items: [WorkItem] = []
    private var head = 0
    private var closed = false
    /// Items handed out so far: an item's ordinal is its position in the queue (input order).
    private var popped = 0
    private let lock = NSLock()
    private let signal = DispatchSemaphore(value: 0)

    func push(_ item: WorkItem) {
        lock.lock()
        items.append(item)
        lock.unlock()
        signal.signal()
    }

    /// Called once by the reader when it is done; wakes every waiting worker.
    func close(workers: Int) {
        lock.lock()
        closed = true
        lock.unlock()
        for _ in 0..<workers { signal.signal() }
    }

    func pop() -> WorkItem? { popNumbered()?.item }

    /// The next item and its ordinal (0, 1, 2… in the order the reader pushed them).
    func popNumbered() -> (item: WorkItem, ordinal: Int)? {
        while true {
            signal.wait()
            lock.lock()
            if head < items.count {
                let item = items[head]
                head += 1
                if head > 1024 && head * 2 > items.count { items.removeFirst(head); head = 0 }
                let ordinal = popped
                popped += 1
                lock.unlock()
                return (item, ordinal)
            }
            let done = closed
            lock.unlock()
            if done {
                signal.signal()   // let the next waiting worker see the end too
                return nil
            }
        }
    }
}
