import Foundation

/// One side of a transfer: a local directory, an Azure Blob container prefix, an S3 bucket prefix.
///
/// Every call is blocking and is made from the engine's own worker threads, never from Swift's
/// cooperative pool. Implementations are thread-safe: the engine calls them from many workers at
/// once. Paths are relative to the endpoint's root, `/`-separated, with no leading `/`.
///
/// Copy, sync and verify logic never asks which backend it talks to; differences are expressed as
/// `EndpointCapabilities` values and as `FerryError.Disposition` on errors (retry, skip the item,
/// abort the job) that the endpoint decides where the error arises.
public protocol Endpoint: Sendable {
    /// Where this endpoint points, with every secret removed (safe for logs, JSON and the manifest).
    var redactedDescription: String { get }
    var capabilities: EndpointCapabilities { get }

    /// Streams the objects below `prefix` ("" = the whole root), a page at a time: the whole
    /// listing is never held in memory. Local and Azure list in UTF-8 byte order of `path`; some
    /// S3 servers (SeaweedFS) do not, so only `capabilities.listsInByteOrder` promises it, and
    /// the one user of the order (a sync's `DestinationLookup`) still checks it.
    func list(prefix: String, recursive: Bool) throws -> any ObjectListing

    /// `list(prefix:recursive:)` that need not walk a directory (relative path, no trailing `/`)
    /// for which `entering` is false: filters that exclude a whole directory save its walk. Only
    /// stores with real directories can skip one (a local disk); the default lists everything,
    /// and the caller filters every entry anyway.
    func list(prefix: String, recursive: Bool, entering: @escaping @Sendable (String) -> Bool) throws -> any ObjectListing

    /// The object at `path`, or nil if there is none.
    func stat(_ path: String) throws -> ObjectInfo?

    /// Reads `range` of the object into `buffer` (which holds at least `range.count` bytes) and
    /// returns the number of bytes read, which is `range.count` unless the object is shorter.
    /// `meter` sees every byte as it arrives (throttling and progress).
    func read(_ path: String, range: Range<Int64>, into buffer: UnsafeMutableRawBufferPointer,
              meter: any TransferMeter) throws -> Int

    /// `read(path, range: 0..<sizeBytes, …)`, plus the whole-object CRC-64 the answer carried
    /// when it covered exactly that object (S3: in the GET's headers, where a listing has none).
    /// Default: `read` and nil (`Endpoint+Defaults.swift`).
    func readWhole(_ path: String, sizeBytes: Int64, into buffer: UnsafeMutableRawBufferPointer,
                   meter: any TransferMeter) throws -> (bytes: Int, storedCRC64: UInt64?)

    /// Starts (or, with `resumeToken`, resumes) writing the object at `path`.
    func makeWriter(for path: String, plan: ObjectWritePlan) throws -> any ObjectWriter

    /// Makes a destination ready to receive objects; the engine calls it once per run, before any
    /// write (Azure: creates a missing container). Default: nothing (`Endpoint+Defaults.swift`).
    func prepareDestination() throws

    /// Deletes the object; deleting a missing object is not an error.
    func delete(_ path: String) throws

    /// Drops what an abandoned writer for `path` left under `resumeToken` (S3: aborts the
    /// multipart upload) without starting anything new; already gone is not an error. Used by
    /// `ferry jobs clean`. Default: nothing to drop.
    func abandonWrite(for path: String, resumeToken: String) throws
}

/// A page-at-a-time listing. Not thread-safe: one consumer.
public protocol ObjectListing {
    /// The next object, or nil when the listing is exhausted.
    mutating func next() throws -> ObjectInfo?
}

/// What one destination object will be written as. Values only, decided by the planner.
public struct ObjectWritePlan: Sendable, Hashable {
    public var sizeBytes: Int64
    /// Block/part size. Files at or under it go up in one request (`writeWhole`).
    public var blockSizeBytes: Int
    /// Opaque token the writer returned earlier (`ObjectWriter.resumeToken`), e.g. an S3 UploadId.
    public var resumeToken: String?
    /// What is known before the bytes are read: content type, user metadata, `mustNotExist`,
    /// source modification time (no checksums yet). Stores that fix metadata when an upload is
    /// created (S3 CreateMultipartUpload) take it from here; `commit` still gets the full set.
    public var properties: ObjectProperties

    public init(sizeBytes: Int64, blockSizeBytes: Int, resumeToken: String? = nil,
                properties: ObjectProperties = ObjectProperties()) {
        self.sizeBytes = sizeBytes
        self.blockSizeBytes = blockSizeBytes
        self.resumeToken = resumeToken
        self.properties = properties
    }

    /// More than one block: written with `stage`/`commit` rather than `writeWhole`.
    public var isMultiBlock: Bool { sizeBytes > Int64(blockSizeBytes) }
}

/// Writes one destination object, whole or as blocks. Thread-safe: blocks are staged in parallel.
///
/// Contract (CONCURRENCY.md): `stage` returns only after the store acknowledged the block;
/// `commit` is called once, after every block was acknowledged, with every block in order; until
/// `commit` returns, readers of the destination see the old object (or none), never a mix.
public protocol ObjectWriter: Sendable {
    /// The store's handle to resume with (an S3 UploadId, a partial file's identity), known when
    /// `makeWriter` returns for a multi-block plan; the engine records it in the manifest before
    /// staging blocks (CONCURRENCY.md rule 3). Nil for stores whose blocks are addressed by ID alone.
    var resumeToken: String? { get }

    /// Writes the whole object in one request. `data.count` equals the planned size.
    func writeWhole(_ data: UnsafeRawBufferPointer, checksums: BlockChecksums,
                    properties: ObjectProperties, meter: any TransferMeter) throws

    /// Stages one block. Returns a receipt to keep in the manifest and pass back to `commit`
    /// (an S3 part ETag; nil where the block ID says it all).
    func stage(_ block: BlockRef, data: UnsafeRawBufferPointer, checksums: BlockChecksums,
               meter: any TransferMeter) throws -> String?

    /// Blocks the store already holds for this object, uncommitted, as far as it can tell
    /// (Azure Get Block List, S3 ListParts). Local files cannot tell and return [].
    func stagedBlocks() throws -> [StagedBlock]

    /// May the store hold blocks staged before this writer was made? Azure: always (blocks hang
    /// off the blob's name). S3: when the writer continues an existing multipart upload, not when
    /// it just created one. The engine asks `stagedBlocks` only when this is true (default).
    var mayHoldEarlierBlocks: Bool { get }

    /// Copies `block`'s bytes as they were staged (by this writer or the one it resumed) into
    /// `buffer`; false when the store cannot read uncommitted bytes back (the default, see
    /// `ObjectWriter+ReadBack.swift`). Lets a resumed job rebuild the in-order MD5 without
    /// fetching acknowledged blocks from the source again.
    func readBackStaged(_ block: BlockRef, into buffer: UnsafeMutableRawBufferPointer) throws -> Bool

    /// Makes the object visible from `blocks` in order (`receipts[i]` from `stage`).
    func commit(_ blocks: [BlockRef], receipts: [String?], properties: ObjectProperties) throws

    /// Gives up: drops staged blocks / partial files / multipart uploads.
    func abort() throws
}

/// A block the store holds uncommitted (`StagedBlockReconciliation` decides what it is worth).
/// Value type.
public struct StagedBlock: Sendable, Hashable {
    /// The store's name for the block: Ferry's block ID (Azure) or the part number in decimal (S3).
    public var id: String
    /// The 0-based block position, when the store addresses blocks by position; nil otherwise.
    public var index: Int?
    public var sizeBytes: Int64
    public var receipt: String?
    /// The MD5 of the bytes, when the store says it (an S3 part's ETag, for parts stored without
    /// KMS encryption). Azure's block IDs say their CRC-64 instead (`BlockID`).
    public var contentMD5: Data?
    public init(id: String, index: Int? = nil, sizeBytes: Int64, receipt: String? = nil, contentMD5: Data? = nil) {
        self.id = id
        self.index = index
        self.sizeBytes = sizeBytes
        self.receipt = receipt
        self.contentMD5 = contentMD5
    }
}

/// What a backend can do beyond the protocol's core, as values the engine branches on.
public struct EndpointCapabilities: Sendable, Hashable {
    /// Stores a whole-object Content-MD5 that downloads can check (Azure).
    public var storesContentMD5: Bool
    /// Lists uncommitted blocks, so a fresh machine can resume without local state.
    public var listsStagedBlocks: Bool
    /// Smallest block except the last (S3: 5 MiB); 0 for none.
    public var minimumBlockSizeBytes: Int
    /// Largest number of blocks per object (Azure 50,000; S3 10,000).
    public var maximumBlockCount: Int
    /// Largest block (Azure 4000 MiB; S3 5 GiB).
    public var maximumBlockSizeBytes: Int
    /// Is this a remote store (the network side that `--cap-mbps` meters)?
    public var isRemote: Bool
    /// Does every listing come in UTF-8 byte order of `path` (a local walk, Azure)? A sync then
    /// walks both listings side by side instead of staging the destination's (`DestinationLookup`);
    /// it still checks the order and falls back if a listing breaks it.
    public var listsInByteOrder: Bool
    /// A local file system: the rules remote names must meet to become its paths.
    public var localNames: LocalNameRules?
    /// Writes block blobs with an access tier (`--block-blob-tier`, Azure).
    public var acceptsBlockBlobTier = false

    public init(storesContentMD5: Bool, listsStagedBlocks: Bool, minimumBlockSizeBytes: Int,
                maximumBlockCount: Int, maximumBlockSizeBytes: Int, isRemote: Bool, listsInByteOrder: Bool = false) {
        self.storesContentMD5 = storesContentMD5
        self.listsStagedBlocks = listsStagedBlocks
        self.minimumBlockSizeBytes = minimumBlockSizeBytes
        self.maximumBlockCount = maximumBlockCount
        self.maximumBlockSizeBytes = maximumBlockSizeBytes
        self.isRemote = isRemote
        self.listsInByteOrder = listsInByteOrder
    }
}

// Root and path semantics, common to every endpoint:
// - An endpoint has a root (a local path; a container + prefix; a bucket + prefix).
// - `stat("")` is the object exactly at the root (a single-file source), or nil.
// - `list(prefix: p, …)` lists the objects under `root/` whose relative path starts with `p`;
//   returned paths are relative to `root/`. An object's full name is `root + "/" + path`
//   (no double slashes; an empty root means the top of the container or bucket).
