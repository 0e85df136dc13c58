package io.warpgw.error;

/** Every failure the API can report: HTTP status and Cloudflare-style error code, as in API.md's table. */
public enum ApiError {
  INVALID(400, 1001),
  INVALID_CURSOR(400, 1002),
  TOO_MANY(400, 1003),
  UNAUTHENTICATED(401, 10000),
  FORBIDDEN(403, 9109),
  NOT_FOUND(404, 1004),
  NO_ROUTE(404, 7000),
  METHOD_NOT_ALLOWED(405, 7001),
  CONFLICT(409, 1005),
  BODY_TOO_LARGE(413, 1006),
  URI_TOO_LONG(414, 1007),
  HEADERS_TOO_LARGE(431, 1008),
  /** An addition of ours: a request line with a version other than HTTP/1.0 or HTTP/1.1. */
  HTTP_VERSION_NOT_SUPPORTED(505, 1009),
  RATE_LIMITED(429, 971),
  INTERNAL(500, 1),
  UNAVAILABLE(503, 1100),
  TIMEOUT(504, 1101);

  private final int status;
  private final int code;

  ApiError(int status, int code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public int code() {
    return code;
  }

  /** The SDKs retry these; everything else they must not (a 505 repeats itself: same bytes, same answer). */
  public boolean retryable() {
    return status == 429 || status >= 500 && status != 505;
  }
}
