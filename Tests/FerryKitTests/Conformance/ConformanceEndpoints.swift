@testable import FerryKit

/// An endpoint rooted at `<parent>/data` and one rooted at its parent, so a scenario can place
/// objects just outside the root (`data2/…`, `data-x`) and check that the root never shows them.
struct ConformanceEndpoints: Sendable {
    let root: any Endpoint
    let parent: any Endpoint
}
