/// `--dry-run`: lists and plans exactly as a copy would, and reports each file instead of moving
/// it. Touches nothing (no manifest, no destination writes). Blocking; call from a thread of ours.
public enum DryRun {
    public static func run(_ setup: JobSetup, report: (FilePlan) -> Void) throws {
        let planner = setup.planner
        let shard = try setup.dryRunShardSelection()
        defer { shard?.close() }
        if planner.mapping.singleFileDestination != nil {
            guard let info = try setup.source.stat("") else {
                throw FerryError(.notFound, "the source \(setup.source.redactedDescription) does not exist", disposition: .abortJob)
            }
            if try shard?.owns(info.path) ?? true, let plan = try planner.plan(info) { report(plan) }
            return
        }
        let filter = planner.filter
        var listing = try setup.source.list(prefix: "", recursive: setup.spec.options.recursive,
                                            entering: { filter.mayTakeAnything(below: $0) })
        while let info = try listing.next() {
            if let shard, !(try shard.owns(info.path)) { continue }
            do {
                if let plan = try planner.plan(info) { report(plan) }
            } catch let error as FerryError where error.disposition == .skipItem {
                continue
            }
        }
    }
}
