import Foundation
import Testing
@testable import FerryEmulatorAuth

/// A corpus of requests azure-storage-blob 12.31.1 signed itself (dev key): random blob names and
/// queries, metadata names whose Python order differs from ordinal order (`_`, digits, `-`), and
/// SAS tokens with overrides, `ses`, `sip` and `spr`. Drawn from a one-off run of 700 such requests
/// (all verified); these 17 are kept as regression vectors.
@Suite struct SDKCorpusTests {
    struct SignedCase {
        let method, path, query, container, permissions: String
        let blob: String?
        let headers: [(String, String)]

        init(_ method: String, _ path: String, query: String, container: String, blob: String?, permissions: String,
             headers: [(String, String)]) {
            (self.method, self.path, self.query, self.container, self.blob) = (method, path, query, container, blob)
            (self.permissions, self.headers) = (permissions, headers)
        }

        var request: ReceivedRequest {
            ReceivedRequest(method: method, rawPath: path, rawQuery: query, headers: headers.map { (name: $0.0, value: $0.1) },
                            account: "devstoreaccount1", container: container, blob: blob)
        }
    }

    @Test(arguments: Self.corpus)
    func sdkSignedRequestVerifies(_ signed: SignedCase) {
        let isSAS = signed.headers.isEmpty
        let requirement = AccessRequirement(anyOf: Set(isSAS ? signed.permissions : "r"),
                                            level: signed.blob == nil ? .container : .object)
        // Shared Key cases are dated 2024-01-01T00:00:00Z; every SAS starts at or before it and lasts ≥ 1 day.
        let now = AuthFixtures.vectorNow.addingTimeInterval(isSAS ? 100 : 0)
        let result = AuthFixtures.authenticator.authenticate(signed.request, requirement: requirement,
                                                             publicAccess: .none, now: now)
        #expect(result.principal == (isSAS ? .sas : .sharedKey), "\(signed.path)?\(signed.query): \(result.rejection?.detail ?? "")")
    }

    static let corpus: [SignedCase] = [
        SignedCase("PUT", "/devstoreaccount1/c8z6tnovmi/gqbj%3BG3uhkW_",
                   query: "restype=container&marker=a",
                   container: "c8z6tnovmi", blob: "gqbj;G3uhkW_", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2021-08-06"),
                       ("x-ms-meta-1", "z"),
                       ("x-ms-meta-_9", "OofLH"),
                       ("x-ms-meta-_za0ba", "jsUNPjc"),
                       ("Content-Length", "4096"),
                       ("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A=="),
                       ("Authorization", "SharedKey devstoreaccount1:BqMOQB+V2BAUzgQA2Mwm+KAsz3N7DYT6Sy3a5oKeMwM="),
                   ]),
        SignedCase("GET", "/devstoreaccount1/cqa3e68f7e/GjHEAD6-Wj9Kf%40%3B%24",
                   query: "blockid=qPVStNKia",
                   container: "cqa3e68f7e", blob: "GjHEAD6-Wj9Kf@;$", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2026-10-06"),
                       ("x-ms-meta-01b-a", "DDDXh"),
                       ("x-ms-meta-_00", "De GC"),
                       ("x-ms-meta-19", "Lf"),
                       ("x-ms-meta-1b90", "M O"),
                       ("x-ms-meta-z_9", "zbkaFRCz"),
                       ("Content-Length", "0"),
                       ("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A=="),
                       ("x-ms-client-request-id", "abc-123"),
                       ("Authorization", "SharedKey devstoreaccount1:GCNeDDVALdi7w7aRxR7s0WdtmtHSHRu6belba+B0cZw="),
                   ]),
        SignedCase("DELETE", "/devstoreaccount1/cqxezye/JgJngK%3AtFI3.Oy",
                   query: "maxresults=2132&comp=list",
                   container: "cqxezye", blob: "JgJngK:tFI3.Oy", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2021-08-06"),
                       ("x-ms-meta-b9091", "pflv"),
                       ("x-ms-meta-0_19", "bVAy"),
                       ("x-ms-meta-9z0", "F"),
                       ("x-ms-meta-_-_1", "rp"),
                       ("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A=="),
                       ("If-Match", "\"0x8DC0123456789AB\""),
                       ("Authorization", "SharedKey devstoreaccount1:DDhgiuAot8wsuxsVBhCQJlSWy1mmXH+0FSdXnhu4krc="),
                   ]),
        SignedCase("DELETE", "/devstoreaccount1/ckhf59guwg/l2%24dVAMH2%26_vW",
                   query: "blocklisttype=all",
                   container: "ckhf59guwg", blob: "l2$dVAMH2&_vW", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2020-10-02"),
                       ("x-ms-meta-zz099z", "Gmrt"),
                       ("x-ms-meta-z", "umqU"),
                       ("x-ms-meta-z1", "my"),
                       ("x-ms-meta-1", "BrmgO"),
                       ("x-ms-meta-_01", "yDca"),
                       ("Content-Length", "1"),
                       ("Authorization", "SharedKey devstoreaccount1:d1t/rv5YfsBiB1Yz6iiA7ZVY77XlHbVmZSiHKnj9N+c="),
                   ]),
        SignedCase("HEAD", "/devstoreaccount1/ccgqh7a1pcs/%24vph%E6%BC%A2.Ik7%C3%A9%3Ds",
                   query: "blockid=rpVfVIs%2F&prefix=%20a%2Fb&blocklisttype=all",
                   container: "ccgqh7a1pcs", blob: "$vph漢.Ik7é=s", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2026-10-06"),
                       ("x-ms-meta-b-1z_", "iRmNNr"),
                       ("x-ms-meta-b-_z_", "aA"),
                       ("Content-Type", "application/octet-stream"),
                       ("If-Match", "\"0x8DC0123456789AB\""),
                       ("Authorization", "SharedKey devstoreaccount1:OdukWbCnAOhrUGPfDU4WqGsp4CEPGY2uKiCYqVSFtGo="),
                   ]),
        SignedCase("HEAD", "/devstoreaccount1/cjzde8gx/Bel31iEl%252h%27pC%3B%3B%29",
                   query: "",
                   container: "cjzde8gx", blob: "Bel31iEl%2h'pC;;)", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2020-10-02"),
                       ("x-ms-meta-b1", "docJisA"),
                       ("x-ms-meta-09bba0", "gLK"),
                       ("x-ms-meta-10z", "RIBXuDLD"),
                       ("x-ms-meta-9-1b", "fKtH"),
                       ("Content-Length", "1"),
                       ("Content-Type", "application/octet-stream"),
                       ("If-None-Match", "*"),
                       ("Authorization", "SharedKey devstoreaccount1:qkMhiRcB4TSnVwiG0aMsgtJUiq2uoHbYhZSzSB9zVDo="),
                   ]),
        SignedCase("HEAD", "/devstoreaccount1/cw53efr4/hN%24",
                   query: "blocklisttype=all&marker=a&include=copy,metadata&restype=container",
                   container: "cw53efr4", blob: "hN$", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2021-08-06"),
                       ("Content-MD5", "ISrKyg+8uV8KcbkH+ZyH+A=="),
                       ("x-ms-range", "bytes=0-99"),
                       ("Authorization", "SharedKey devstoreaccount1:wb4YdTteAuKk2MmvkMG9HI4Qs6rbO5doKrOaEx42azc="),
                   ]),
        SignedCase("PUT", "/devstoreaccount1/cen/%3AGS/U",
                   query: "blockid=EEtfjgVvVqE&timeout=30&maxresults=3664",
                   container: "cen", blob: ":GS/U", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2020-10-02"),
                       ("x-ms-meta-0-a", "fogoEm"),
                       ("x-ms-meta-0-z_9b", "PwZPfQhy"),
                       ("Authorization", "SharedKey devstoreaccount1:sR0koLngd4U8GtRVRnX03j1VMty+z07W7Rk5BqRm1bI="),
                   ]),
        SignedCase("HEAD", "/devstoreaccount1/c4h9d/%2B%219n%21hFyJfm_5%21di4",
                   query: "timeout=30&restype=container",
                   container: "c4h9d", blob: "+!9n!hFyJfm_5!di4", permissions: "",
                   headers: [
                       ("x-ms-date", "Mon, 01 Jan 2024 00:00:00 GMT"),
                       ("x-ms-version", "2026-10-06"),
                       ("x-ms-meta-9_09", "kTBG"),
                       ("Content-Length", "4096"),
                       ("Authorization", "SharedKey devstoreaccount1:xzcfgPP33WKpt6wut5sd1K6ztyy1Y+LyUjjvpdxTiYs="),
                   ]),
        SignedCase("GET", "/devstoreaccount1/cpdahkf/%40nrApO0",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2030-02-10T00%3A00%3A00Z&sp=wdt&sip=127.0.0.1&sv=2026-10-06"
                       + "&sr=b&rscl=en-US&sig=ZQL3/5hXdKe3AlSrpsezYp4DPSuE8Mmm7mcSE0VXMbE%3D",
                   container: "cpdahkf", blob: "@nrApO0", permissions: "wdt",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/ciiilg/DVuga",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2027-08-27T00%3A00%3A00Z&sp=awdt&sip=127.0.0.1&sv=2026-10-0"
                       + "6&sr=b&rscc=no-cache%2C%20max-age%3D5&rsct=text/plain%3B%20charset%3Dutf-8&ses=scope1&sig="
                       + "DyADlfdVm8zAQzYHxKxpLlD7bjaxM%2B1l4s00St6huUY%3D",
                   container: "ciiilg", blob: "DVuga", permissions: "awdt",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/coxbbls/a%2CQltnsdvav%24wn",
                   query: "se=2026-02-05T00%3A00%3A00Z&sp=cw&sv=2026-10-06&sr=b&rsct=text/plain%3B%20charset%3Dutf-8&"
                       + "sig=3m/MJEKI3DM%2BRtXunmfs5fjsYnRibs%2BDu3eO6DIzjQ4%3D",
                   container: "coxbbls", blob: "a,Qltnsdvav$wn", permissions: "cw",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/cmn/%2BUh",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2029-03-08T00%3A00%3A00Z&sp=dl&sip=127.0.0.0-127.0.0.255&sp"
                       + "r=https%2Chttp&sv=2026-10-06&sr=c&rscd=inline%3B%20filename%3D%22a%20b.txt%22&sig=Hg1j4WOj"
                       + "VWjXaosNMhG%2Bf6rlEWoL9vt6pugnHZ4NrHc%3D",
                   container: "cmn", blob: "+Uh", permissions: "dl",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/cdhabxitk/rVfxqr%2Bo%28G",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2025-02-05T00%3A00%3A00Z&sp=rawl&sip=127.0.0.0-127.0.0.255&"
                       + "spr=https%2Chttp&sv=2026-10-06&sr=c&sig=q8JqUkbEtskvUoKWnVq6yQJg9fYZOz1YwEkuI%2BnYNA4%3D",
                   container: "cdhabxitk", blob: "rVfxqr+o(G", permissions: "rawl",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/cmywxplhl/8Y7kRcGD%3Dv-H%3BJ%29",
                   query: "se=2027-09-16T00%3A00%3A00Z&sp=rdlupt&spr=https%2Chttp&sv=2026-10-06&ss=b&srt=co&ses=scope"
                       + "1&sig=p/8in2/arEPu1Bp%2BZcmdu3U/Q394SYTAA2qiHpHrhb4%3D",
                   container: "cmywxplhl", blob: "8Y7kRcGD=v-H;J)", permissions: "rdlupt",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/cmlsju/40%29MEA5-9f%3BUf",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2025-08-04T00%3A00%3A00Z&sp=rwlcupt&sip=127.0.0.0-127.0.0.2"
                       + "55&spr=https%2Chttp&sv=2026-10-06&ss=b&srt=co&sig=f2qxtnVXrSgvsuUHw4upIpwFQfSA0ye/Xphzog%2"
                       + "Bu40Q%3D",
                   container: "cmlsju", blob: "40)MEA5-9f;Uf", permissions: "rwlcupt",
                   headers: []),
        SignedCase("GET", "/devstoreaccount1/cgsfoxmot/c0fTDV0%28grAIL0rMsj%26",
                   query: "st=2024-01-01T00%3A00%3A00Z&se=2026-04-24T00%3A00%3A00Z&sp=dlaut&spr=https%2Chttp&sv=2026-"
                       + "10-06&ss=b&srt=co&sig=Ixa6owwDRito1PfZNV0MHVVQ91m4OKuR%2BpttT9FrkRc%3D",
                   container: "cgsfoxmot", blob: "c0fTDV0(grAIL0rMsj&", permissions: "dlaut",
                   headers: []),
    ]
}
