#include "ferry_curl_shim.h"
int ferry_curl_placeholder(void) { return 0; }
