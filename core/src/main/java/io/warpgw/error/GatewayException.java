package io.warpgw.error;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * A failure with its place in API.md's error table. Stackless: these are values that travel through
 * future chains to the one failure handler that renders the envelope, not bugs to debug.
 */
public final class GatewayException extends RuntimeException {
  private static final int MAX_LISTED_IDS = 50;

  private final ApiError error;

  public GatewayException(ApiError error, String message) {
    this(error, message, null);
  }

  public GatewayException(ApiError error, String message, Throwable cause) {
    super(message, cause, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  public static GatewayException invalid(String message) {
    return new GatewayException(ApiError.INVALID, message);
  }

  public static GatewayException notFound(Collection<String> ids) {
    String listed = ids.stream().limit(MAX_LISTED_IDS).collect(Collectors.joining(", "));
    String more = ids.size() > MAX_LISTED_IDS ? " and " + (ids.size() - MAX_LISTED_IDS) + " more" : "";
    String noun = ids.size() == 1 ? "registration" : "registrations";
    return new GatewayException(ApiError.NOT_FOUND,
        noun + " not found in this account: " + listed + more);
  }

  public static GatewayException conflict(String id) {
    return new GatewayException(ApiError.CONFLICT,
        "a registration with id '" + id + "' already exists in this account; choose another id or omit it");
  }

  public static GatewayException unavailable(String message, Throwable cause) {
    return new GatewayException(ApiError.UNAVAILABLE, message, cause);
  }

  public static GatewayException timeout(String message, Throwable cause) {
    return new GatewayException(ApiError.TIMEOUT, message, cause);
  }
}
