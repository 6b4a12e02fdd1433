// Fixed-type forwarders for libcurl's variadic setopt/getinfo; see the header for why.
#include "ferry_curl_shim.h"

CURLcode ferry_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ferry_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ferry_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ferry_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ferry_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, ferry_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode ferry_curl_easy_setopt_seek_callback(CURL *handle, CURLoption option, ferry_curl_seek_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode ferry_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode ferry_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
