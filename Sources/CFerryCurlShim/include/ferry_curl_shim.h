// Why this shim exists: libcurl's `curl_easy_setopt` and `curl_easy_getinfo` are C variadic
// functions, which Swift cannot call. Each wrapper below fixes the third argument to one C type,
// one wrapper per argument kind libcurl documents (long, curl_off_t, pointer/string, callback).
// The wrappers hold no logic: they forward their arguments and return libcurl's result code.
#ifndef FERRY_CURL_SHIM_H
#define FERRY_CURL_SHIM_H

#include <curl/curl.h>

/// The data callback shape shared by CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION and
/// CURLOPT_READFUNCTION: (buffer, size, count, user pointer) -> bytes handled.
typedef size_t (*ferry_curl_data_callback)(char *buffer, size_t size, size_t count, void *user);

/// The CURLOPT_SEEKFUNCTION shape: lets libcurl rewind an upload when it must resend a request
/// (for example after a reused connection turned out to be dead).
typedef int (*ferry_curl_seek_callback)(void *user, curl_off_t offset, int origin);

/// Options whose argument is a `long` (flags, timeouts, enums such as CURLOPT_HTTP_VERSION).
CURLcode ferry_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);

/// Options whose argument is a `curl_off_t` (sizes that may exceed 2 GiB: CURLOPT_INFILESIZE_LARGE).
CURLcode ferry_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/// Options whose argument is a NUL-terminated string (CURLOPT_URL, CURLOPT_CUSTOMREQUEST).
/// libcurl copies strings it is given, so the caller need not keep them alive.
CURLcode ferry_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);

/// Options whose argument is an object pointer libcurl keeps (header lists, callback user data,
/// the error buffer). The caller keeps the pointee alive for as long as the handle uses it.
CURLcode ferry_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// Data callbacks (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION, CURLOPT_READFUNCTION).
CURLcode ferry_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, ferry_curl_data_callback callback);

/// The seek callback (CURLOPT_SEEKFUNCTION).
CURLcode ferry_curl_easy_setopt_seek_callback(CURL *handle, CURLoption option, ferry_curl_seek_callback callback);

/// Information whose result is a `long` (CURLINFO_RESPONSE_CODE, CURLINFO_HTTP_VERSION).
CURLcode ferry_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// Information whose result is a `curl_off_t` (CURLINFO_SIZE_UPLOAD_T, CURLINFO_SIZE_DOWNLOAD_T).
CURLcode ferry_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
