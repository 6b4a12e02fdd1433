
/// Counters behind `GET /__ferry/stats`. Thread-safe: everything sits behind one `SleepingLock`.
final class EmulatorStats: Sendable {
    struct AcceptedBlock: Sendable, Equatable {
        var container: String
        var blob: String
        var blockID: String
        var size: Int64
    }

    private struct Counters {
        var requests: [EmulatorOperation: Int] = [:]
        var failedAuth = 0
        var faultsInjected = 0
        var bytesIn: Int64 = 0
        var bytesOut: Int64 = 0
        var putBlocks: [AcceptedBlock] = []
        var accountLimitRefusals: [AccountLimitKind: Int] = [:]
    }

    private let counters = SleepingLock(Counters())

    func countRequest(_ operation: EmulatorOperation) { counters.withLock { $0.requests[operation, default: 0] += 1 } }
    func countFailedAuth() { counters.withLock { $0.failedAuth += 1 } }
    func countFault() { counters.withLock { $0.faultsInjected += 1 } }
    func addBytesIn(_ count: Int) { counters.withLock { $0.bytesIn += Int64(count) } }
    func addBytesOut(_ count: Int) { counters.withLock { $0.bytesOut += Int64(count) } }
    func countAccountLimitRefusal(_ kind: AccountLimitKind) { counters.withLock { $0.accountLimitRefusals[kind, default: 0] += 1 } }
    func recordPutBlock(_ block: AcceptedBlock) { counters.withLock { $0.putBlocks.append(block) } }
    func reset() { counters.withLock { $0 = Counters() } }

    var requestCount: [EmulatorOperation: Int] { counters.withLock { $0.requests } }

    func json() -> String {
        counters.withLock { counters in
            let requests = EmulatorOperation.allCases.compactMap { operation in
                counters.requests[operation].map { "\"\(operation.rawValue)\":\($0)" }
            }.joined(separator: ",")
            let blocks = counters.putBlocks.map { block in
                "{\"container\":\(JSONText.quote(block.container)),\"blob\":\(JSONText.quote(block.blob)),"
                    + "\"blockId\":\(JSONText.quote(block.blockID)),\"size\":\(block.size)}"
            }.joined(separator: ",")
            // Requests answered 503 ServerBusy by --account-limits: total and per limit.
            let refusals = counters.accountLimitRefusals
            let refusalFields = AccountLimitKind.allCases.map { "\"\($0.rawValue)\":\(refusals[$0, default: 0])" }
            let refused = "{\"total\":\(refusals.values.reduce(0, +)),\(refusalFields.joined(separator: ","))}"
            return "{\"requests\":{\(requests)},\"failedAuth\":\(counters.failedAuth),"
                + "\"faultsInjected\":\(counters.faultsInjected),\"bytesIn\":\(counters.bytesIn),"
                + "\"bytesOut\":\(counters.bytesOut),\"putBlocks\":[\(blocks)],"
                + "\"accountLimitRefusals\":\(refused)}"
        }
    }
}
