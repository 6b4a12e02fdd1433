import Foundation
import Testing
@testable import FerryKit

/// A clock tests move by hand. Thread-safe (locked).
final class TokenClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: Double) { lock.lock(); current += seconds; lock.unlock() }
    var function: @Sendable () -> Date { { self.now } }
}

/// Hands out numbered tokens with a fixed lifetime, or fails when told to. Thread-safe (locked).
final class ScriptedTokenProvider: EntraTokenProvider, @unchecked Sendable {
    private let lock = NSLock()
    private let clock: TokenClock
    private let lifetimeSeconds: Double
    private var issued = 0
    var failing: FerryError?
    /// Blocks each fetch for this long (wall clock), so concurrent callers overlap.
    var fetchDelaySeconds = 0.0

    init(clock: TokenClock, lifetimeSeconds: Double) {
        self.clock = clock
        self.lifetimeSeconds = lifetimeSeconds
    }

    var credentialDescription: String { "a scripted test principal" }
    var issuedCount: Int { lock.lock(); defer { lock.unlock() }; return issued }

    func fetchToken() throws -> AccessToken {
        if fetchDelaySeconds > 0 { Thread.sleep(forTimeInterval: fetchDelaySeconds) }
        lock.lock()
        defer { lock.unlock() }
        if let failing { throw failing }
        issued += 1
        let now = clock.now
        return AccessToken(value: "token-\(issued)", expiresOn: now + lifetimeSeconds, obtainedOn: now)
    }
}

@Suite struct AccessTokenCacheTests {
    @Test func reusesUntilHalfLifeThenRefreshes() throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 60)
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        #expect(try cache.token().value == "token-1")
        clock.advance(29)
        #expect(try cache.token().value == "token-1")
        clock.advance(1)  // half-life: refresh, though the token has 30 s left
        #expect(try cache.token().value == "token-2")
        #expect(provider.issuedCount == 2)
    }

    @Test func aJobLongerThanTheTokenLifetimeAlwaysHasAValidToken() throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 30)
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        // Ten minutes of requests, one a second: every token sent is valid, with at least half its life left.
        for _ in 0..<600 {
            let token = try cache.token()
            #expect(token.expiresOn.timeIntervalSince(clock.now) > 15 - 1e-9)
            clock.advance(1)
        }
        #expect(provider.issuedCount == 40)
    }

    @Test func aFailedRefreshKeepsTheValidTokenAndRetriesLater() throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 600)
        let cache = AccessTokenCache(provider: provider, retryDelaySeconds: 30, clock: clock.function)
        _ = try cache.token()
        provider.failing = FerryError(.network, "issuer unreachable", disposition: .retry)
        clock.advance(300)
        #expect(try cache.token().value == "token-1")  // refresh failed, old token still good
        clock.advance(10)
        #expect(try cache.token().value == "token-1")  // no new attempt before the retry delay
        provider.failing = nil
        clock.advance(20)
        #expect(try cache.token().value == "token-2")
    }

    @Test func anExpiredTokenIsNeverReturned() throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 60)
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        _ = try cache.token()
        provider.failing = FerryError(.authenticationFailed, "secret revoked", disposition: .abortJob)
        clock.advance(61)
        #expect(throws: FerryError.self) { try cache.token() }
    }

    @Test func invalidateForcesANewSignIn() throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 3600)
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        let first = try cache.token()
        cache.invalidate(first)
        let second = try cache.token()
        #expect(second.value == "token-2")
        cache.invalidate(first)  // a stale refusal does not drop the new token
        #expect(try cache.token().value == "token-2")
    }

    @Test func concurrentCallersShareOneSignIn() async throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 3600)
        provider.fetchDelaySeconds = 0.2
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask { try await BlockingWork.run { try cache.token().value } }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(values) == ["token-1"])
        #expect(provider.issuedCount == 1)
    }

    @Test func callersWaitingOnAFailedFirstSignInGetItsError() async throws {
        let clock = TokenClock()
        let provider = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 3600)
        provider.fetchDelaySeconds = 0.2
        provider.failing = FerryError(.authenticationFailed, "AADSTS7000215", disposition: .abortJob)
        let cache = AccessTokenCache(provider: provider, clock: clock.function)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await BlockingWork.run { try cache.token() }) == nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 8)
    }
}

/// `--auth entra` without configured sources: the metadata service, then the Azure CLI; the first
/// that answers is kept.
@Suite struct FirstAvailableTokenProviderTests {
    @Test func fallsThroughToTheNextAndKeepsTheFirstThatAnswers() throws {
        let clock = TokenClock()
        let metadata = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 60)
        metadata.failing = FerryError(.network, "no metadata service", disposition: .retry)
        let cli = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 60)
        let chain = FirstAvailableTokenProvider(candidates: [metadata, cli])
        #expect(chain.credentialDescription == "a scripted test principal, else a scripted test principal")
        #expect(try chain.fetchToken().value == "token-1")
        metadata.failing = nil  // later answers do not switch sources mid-job
        #expect(try chain.fetchToken().value == "token-2")
        #expect(cli.issuedCount == 2 && metadata.issuedCount == 0)
    }

    @Test func nothingAvailableIsOneLineNamingTheVariables() {
        let clock = TokenClock()
        let only = ScriptedTokenProvider(clock: clock, lifetimeSeconds: 60)
        only.failing = FerryError(.network, "connect timeout", disposition: .retry)
        do {
            _ = try FirstAvailableTokenProvider(candidates: [only]).fetchToken()
            Issue.record("no source answered, yet a token came back")
        } catch let error as FerryError {
            #expect(error.code == .authenticationFailed)
            #expect(error.message.contains("AZURE_CLIENT_SECRET") && error.message.contains("az login"))
            #expect(error.cause?.contains("connect timeout") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
