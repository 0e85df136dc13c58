package io.warpgw.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.warpgw.error.ApiError;

/**
 * Requests the HTTP decoder rejected before routing (request line or headers too long, garbage):
 * answered with the envelope instead of Vert.x's empty default, then the connection is closed.
 */
public final class InvalidRequests {
  private InvalidRequests() {}

  public static void handle(HttpServerRequest request, int maxRequestLine, int maxHeaderSize) {
    Throwable cause = request.decoderResult().cause();
    // The decoder cannot find where this request ends, so the connection cannot be reused.
    request.response().putHeader("cf-ray", RequestIds.next()).putHeader("Connection", "close");
    if (cause instanceof TooLongHttpLineException) {
      Envelope.failure(request.response(), ApiError.URI_TOO_LONG, "the request line is longer than "
          + maxRequestLine + " bytes (http.max-request-line); send fewer or shorter parameters");
    } else if (cause instanceof HttpVersionGuard.UnsupportedVersion v) {
      Envelope.failure(request.response(), ApiError.HTTP_VERSION_NOT_SUPPORTED, "the request line says "
          + printable(v.version()) + "; this server speaks HTTP/1.1 (and HTTP/1.0), or HTTP/2 after the h2c preface");
    } else if (cause instanceof TooLongHttpHeaderException) {
      Envelope.failure(request.response(), ApiError.HEADERS_TOO_LARGE, "the request headers are larger than "
          + maxHeaderSize + " bytes (http.max-header-size)");
    } else {
      Envelope.failure(request.response(), ApiError.INVALID, "the request is not valid HTTP" + reason(cause));
    }
    request.connection().close();
  }

  /** The version as sent, bounded and without control characters (it is the client's text). */
  private static String printable(String version) {
    String v = version.length() > 40 ? version.substring(0, 40) + "…" : version;
    return v.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * The decoder's reason, without the header value it quotes: that value may be a credential, and an
   * error body travels through proxies and client logs.
   */
  private static String reason(Throwable cause) {
    String m = cause == null ? null : cause.getMessage();
    if (m == null) {
      return "";
    }
    if (m.contains("header value")) {
      return ": a header value contains a prohibited character (control characters are not allowed)";
    }
    return ": " + (m.length() > 200 ? m.substring(0, 200) + "…" : m);
  }
}
