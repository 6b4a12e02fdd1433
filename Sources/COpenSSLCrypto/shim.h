// OpenSSL's libcrypto: MD5, SHA-256 and HMAC for FerryChecksums; RSA keys, signatures, PEM and
// X.509 for the emulator's Entra ID issuer (FerryEmulatorAuth) and, written separately, the
// client's certificate sign-in (FerryKit). Non-variadic API, used directly.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
