// Skeleton: libcurl shim (one wrapper per argument kind of the variadic curl_easy_setopt/getinfo).
#ifndef FERRY_CURL_SHIM_H
#define FERRY_CURL_SHIM_H
#include <curl/curl.h>
int ferry_curl_placeholder(void);
#endif
