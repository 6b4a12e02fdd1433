/// The split itself: files in the order "largest first, then path bytes ascending", each onto the
/// shard holding the fewest bytes so far (the lowest index on a tie) — the "longest processing
/// time first" rule. Every worker replays the same sequence and gets the same answer, so the parts
/// are disjoint and together complete; with many small files behind the large ones the parts end
/// within the size of the smallest file of each other, and a file larger than a fair share is a
/// part of its own (whole files: a file is never split between machines).
///
/// Pure value with a min-heap of shard loads: O(log N) per file, memory O(N). Not thread-safe
/// (mutating); one owner.
public struct ShardAssignment: Sendable {
    public private(set) var loads: [Int64]
    public private(set) var fileCounts: [Int]
    /// (bytes, shard index) ordered by bytes then index; the root is the lightest shard.
    private var heap: [(bytes: Int64, shard: Int)]

    public init(shardCount: Int) {
        loads = Array(repeating: 0, count: shardCount)
        fileCounts = Array(repeating: 0, count: shardCount)
        heap = (0..<shardCount).map { (0, $0) }
    }

    /// The shard of the next file in the order above. Callers must feed files in that order.
    public mutating func place(sizeBytes: Int64) -> Int {
        let shard = heap[0].shard
        loads[shard] += max(0, sizeBytes)
        fileCounts[shard] += 1
        heap[0].bytes = loads[shard]
        siftDown(from: 0)
        return shard
    }

    private static func lighter(_ a: (bytes: Int64, shard: Int), _ b: (bytes: Int64, shard: Int)) -> Bool {
        a.bytes != b.bytes ? a.bytes < b.bytes : a.shard < b.shard
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var lightest = parent
            if left < heap.count && Self.lighter(heap[left], heap[lightest]) { lightest = left }
            if right < heap.count && Self.lighter(heap[right], heap[lightest]) { lightest = right }
            if lightest == parent { return }
            heap.swapAt(parent, lightest)
            parent = lightest
        }
    }
}
