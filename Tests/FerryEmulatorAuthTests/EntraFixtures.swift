import Foundation
@testable import FerryEmulatorAuth

/// A directory, an issuer and request helpers for the Entra ID tests. The certificate and key
/// below were made once for these tests only (`openssl req -x509 -newkey rsa:2048`); nothing trusts them.
enum EntraFixtures {
    static let tenant = "6f1b2c3d-0000-4000-8000-00000000aaaa"
    static let tokenEndpoint = "https://127.0.0.1:10000/\(tenant)/oauth2/v2.0/token"

    static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIDKTCCAhGgAwIBAgIUFbi0T9CA4pZLSc2nLzjYxt78NTkwDQYJKoZIhvcNAQEL
BQAwIzEhMB8GA1UEAwwYZmVycnktZW11bGF0b3IgdW5pdCB0ZXN0MCAXDTI2MTIw
NTA3MjgyN1oYDzIxMjYxMTExMDcyODI3WjAjMSEwHwYDVQQDDBhmZXJyeS1lbXVs
YXRvciB1bml0IHRlc3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDc
D4aDEE3tuBKdRJlHJPD8GPIOVC1TzW+lOTm1wOSJxuQCzjU0G6m40IfUg2Abv7EA
Q0PlMCIScNprIvGTGC56ZJX1AypxgpUXddkq+Vo32xGnu+qcx7a4eAD/qjdHJ2bh
Lhnlx+/L0IZ6ttH91Sd8Rtaa9764/4KdeIAqwF3CUz/qkVYmTJFLonQPIPityvyr
8kjLJDQOH3DaPiIEco6Lr3F4z2uGvtEUedQk2Ti/w/R02a2+Dk36O/TT9AywKbuc
+IMoE91xjpxwCweJs28sr8cPIx3uA7Uqpbm83oftktv4WTJ8a0Xfmqf36y7zJGhw
R9ny9b3FWBzUnLp/iCrZAgMBAAGjUzBRMB0GA1UdDgQWBBTIMU/bmmw9hgYzDYS0
ZgrddLjrnDAfBgNVHSMEGDAWgBTIMU/bmmw9hgYzDYS0ZgrddLjrnDAPBgNVHRMB
Af8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQC0TxXd1EWPPV1LmOSSlCJYClYN
TIbXZ9jfJSLeDzVmzZta2rGA0AfBL/QUEEgnRw7cWEkxx/0tNfY0SV+oB5PqgJ6f
Mi/uxL8805c5mC+SaVlVkzrNKb95YOsdVEBnGYKWQmr5keIScAMdIST3+h8zAhoI
uYwd5JxvL7Efn6198cFOKl6Vu5HdXqunho7B03OIjK9SmJN76r6TJQI5k6yY2ij7
ZLFmZoGJvQD/7Mb5dOi3TkH5gbtHlez+oUTeVie/EDAzlO8PNkifSgxNxxiXPeue
HS9fX2JihWxYViSFDbd3FfKv0jgF0/KOZV1iVrhdfBUEMgxeMJBgjmULecu4
-----END CERTIFICATE-----
"""

    static let privateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDcD4aDEE3tuBKd
RJlHJPD8GPIOVC1TzW+lOTm1wOSJxuQCzjU0G6m40IfUg2Abv7EAQ0PlMCIScNpr
IvGTGC56ZJX1AypxgpUXddkq+Vo32xGnu+qcx7a4eAD/qjdHJ2bhLhnlx+/L0IZ6
ttH91Sd8Rtaa9764/4KdeIAqwF3CUz/qkVYmTJFLonQPIPityvyr8kjLJDQOH3Da
PiIEco6Lr3F4z2uGvtEUedQk2Ti/w/R02a2+Dk36O/TT9AywKbuc+IMoE91xjpxw
CweJs28sr8cPIx3uA7Uqpbm83oftktv4WTJ8a0Xfmqf36y7zJGhwR9ny9b3FWBzU
nLp/iCrZAgMBAAECggEABd1KDeMY2I1vvY4u8YTsASPfC3+1x4Zxg7svLQdLb9qD
iAmbxFw6XSj9fa3UmVi17FZekFSEi+5C+9juDCf4UR2uG13uuyCqPXpQA8OqYlOt
uEUbPvtZhLf5+tY76+MCbFzQpt15p/pSIyINHZEZIMg4ft+8TuzMO8sSy1DeDsgh
gqGcFz7kdlyNxbRBo2IqKsKx9HgaxHauSZEvPum2IJtZvI+1IQ6B40Fen6Ols0Ou
XMS2hiDS2xzOTOkCJ2pzFcD+MgFlHhRtIqiBSOOezj5Nc5iYlNafwfF3/7tUqaBK
F5kspnBzQRxClOOGfzN8pO/I/bYZhyUxfVvnImWViQKBgQD2XEAi+cxlP6pXo5WO
hCo/sqD+0Mn4hHBic/DJfCGGtT+9TYtspxpkpAIw3c2hBF+9298VcHj73jU+xfEW
nRJxlrcmB4VKFaHogU1bvbXcotg21bXy0tEl48s7qU45rs4sNajmq0eYDgx2DKUA
AjXGTWUHY18Wi2F+xl/A0sDZnQKBgQDkq9XSO6yOEh+FZ/L+628dI/4AJsHUQ1Vi
8HTzFesBfPQDoK74YqntrvIMhRTsinOV4ZkA+9CKenj7bZvoKSLLpMTaO4OjMXvO
OylEsbGK77LRGa9lYYZ2RnQwXDfvHzAGCeMMn/KL8zF0qfUkWrDyQLmk+bLC5NeF
3MiXt1+fbQKBgQC7j3pI5pNlljXy6RkI2rhrrGyD86OA8Bu76Pct/rJro3w2fF4k
x4gBjRgZ6hQOfY0Ct+28ndeOMhupgfvNsqIDFrKzYlBpGdUddavWp7VYmCYygTw3
9abDyQzGjFyA8AQJhoTjsQ0dx7xW98N7ITOdmPjMyivvtwfwA8mMvSeTxQKBgQDf
z4+oBOAO7Y4MdIFRH/3Q97lTTJvJtV2NSOwuP/WTr0jlhA+87FSFXgVqW5bvLVOU
DwpB/DVQVC61Z8KAqEJ2Lv682iMtRvF2GFF7+q9a3OCX6BvTjnCcsrhl3NyiHlRS
lLq1UJeEgrKVDQPyYRFvCgqpffuI5ZJMYpuyYrgkwQKBgQDzcGosZVDBGFZJyScn
j3PwrkYz8D0WFdhbjYKAg8RM04GtTz5vyLbLHMty+VO7TMdACF6iI9Ae9/Qd2pf9
bJd0QJYFcCQb8UrmvDYdy8fjeeiXWonGW/R3Mfzt0vRcFiizcg2tzEeWgls53TrP
6xW2IqYd1Y6IGz3NeMcjJ3TIYA==
-----END PRIVATE KEY-----
"""

    static func directory() throws -> EntraDirectory {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-entra-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try certificatePEM.write(to: folder.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        let json = """
            {"tenantId": "\(tenant)", "tokenLifetimeSeconds": 600, "clockSkewSeconds": 60,
             "principals": [
               {"displayName": "reader", "clientId": "c-reader", "objectId": "o-reader", "clientSecret": "reader-secret",
                "roles": [{"role": "Storage Blob Data Reader", "scope": "account"}]},
               {"displayName": "writer", "clientId": "c-writer", "objectId": "o-writer", "clientSecret": "writer-secret",
                "certificate": "cert.pem",
                "roles": [{"role": "storage blob data contributor",
                           "scope": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/devstoreaccount1/blobServices/default/containers/models"}]},
               {"displayName": "trainer", "clientId": "c-trainer", "objectId": "o-trainer",
                "federatedCredentials": [{"issuer": "https://oidc.test/cluster", "subject": "system:serviceaccount:ml:trainer"}],
                "managedIdentity": true,
                "roles": [{"role": "Storage Blob Data Owner", "scope": "container/models"}]}]}
            """
        return try EntraDirectory.parse(Data(json.utf8), relativeTo: folder.path)
    }

    static func issuer() throws -> EntraIssuer {
        try EntraIssuer(directory: try directory(), accountName: "devstoreaccount1")
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    static func secretRequest(_ clientID: String, _ secret: String, scope: String = "https://storage.azure.com/.default") -> String {
        form([("client_id", clientID), ("grant_type", "client_credentials"), ("client_secret", secret), ("scope", scope)])
    }

    /// The access token in a 200 answer.
    static func accessToken(_ answer: EntraAnswer) -> String? {
        guard answer.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] else { return nil }
        return object["access_token"] as? String
    }

    static func errorCode(_ answer: EntraAnswer) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["error"] as? String
    }
}
