// OpenSSL's libcrypto: MD5, SHA-256 and HMAC for FerryChecksums (non-variadic API, used directly);
// PEM, X.509 and RSA for the client's Entra ID certificate sign-in (RS256 client assertions,
// certificate thumbprints) in FerryKit.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
