import Foundation

/// `ferry receipt merge`: one receipt from the receipts of disjoint parts of one tree (the shards
/// of a split copy), as if one machine had described the whole tree.
///
/// Each input is read by a `ReceiptReader`, so each is checked exactly as `ferry verify` checks a
/// receipt (order, counts, root hash) — a changed input is refused, it is never merged. The inputs
/// are merged k-way by path bytes (`NameOrder`), holding one entry per input in memory, and written
/// by a `ReceiptWriter`: same entry lines, a new trailer, and a root hash computed over the merged
/// entries in byte order — so it equals the root hash of a single receipt of the whole tree. A path
/// in two inputs is refused (the parts were not disjoint: which copy is the true one is not for
/// the merge to guess). Errors are `FerryError(.usage)` (exit 64). Stateless; the work blocks.
public enum ReceiptMerge {
    /// Merges `inputs` (receipt files) into `output` (`-` for standard output). The output gets
    /// its name only when complete (`ReceiptFile`); on standard output a failed merge stops before
    /// the last line, so what was written is never taken for a receipt.
    @discardableResult
    public static func merge(inputs: [String], to output: String) throws -> ReceiptTrailer {
        let file = try ReceiptFile(path: output)
        let writer = ReceiptWriter(sink: file.write)
        try merge(inputs: inputs, into: writer)
        let trailer = try writer.finish()
        try file.commit()
        return trailer
    }

    /// Merges `inputs` into `writer`, entry by entry (the caller finishes the writer).
    public static func merge(inputs: [String], into writer: ReceiptWriter) throws {
        let readers = try inputs.map { try ReceiptReader(path: $0) }
        var heads = ReceiptHeads()
        for (index, reader) in readers.enumerated() {
            if let entry = try reader.next() { heads.insert(entry, from: index) }
        }
        var previous: (path: String, input: Int)?
        while let (entry, index) = heads.popFirst() {
            if let previous, NameOrder.same(previous.path, entry.path) {
                throw FerryError(.usage, "path \(ReceiptJSON.quoted(entry.path)) is in both '\(inputs[previous.input])' and "
                                 + "'\(inputs[index])': receipts to merge must describe disjoint parts of one tree",
                                 disposition: .abortJob)
            }
            try writer.add(entry)
            previous = (entry.path, index)
            if let next = try readers[index].next() { heads.insert(next, from: index) }
        }
    }
}

/// The next entry of each input being merged: a binary min-heap by path bytes, ties broken by
/// input index (so an overlap names the inputs in the order given). One entry per input: memory is
/// O(inputs), not O(entries). Value type; one owner.
struct ReceiptHeads {
    private var items: [(entry: ReceiptEntry, input: Int)] = []

    mutating func insert(_ entry: ReceiptEntry, from input: Int) {
        items.append((entry, input))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> (ReceiptEntry, Int)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, Self.before(items[left], items[smallest]) { smallest = left }
            if right < items.count, Self.before(items[right], items[smallest]) { smallest = right }
            guard smallest != parent else { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return (first.entry, first.input)
    }

    private static func before(_ a: (entry: ReceiptEntry, input: Int), _ b: (entry: ReceiptEntry, input: Int)) -> Bool {
        if NameOrder.same(a.entry.path, b.entry.path) { return a.input < b.input }
        return NameOrder.precedes(a.entry.path, b.entry.path)
    }
}
