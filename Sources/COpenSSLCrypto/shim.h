// OpenSSL's libcrypto: MD5, SHA-256 and HMAC for FerryChecksums (non-variadic API, used directly).
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
