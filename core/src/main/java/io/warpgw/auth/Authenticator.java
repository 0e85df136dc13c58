package io.warpgw.auth;

import io.vertx.core.MultiMap;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Turns request headers into the credential they prove, and checks what it may do. Secrets are hashed
 * and compared with every configured hash in constant time, so timing says nothing about which
 * token, or how much of one, was right.
 */
public final class Authenticator {
  private final List<Credential> tokens;
  private final List<Credential> keys;

  public Authenticator(List<Credential> tokens, List<Credential> keys) {
    this.tokens = List.copyOf(tokens);
    this.keys = List.copyOf(keys);
  }

  /** The bearer token decides when both kinds of credentials are sent, as the SDKs send everything. */
  public Credential authenticate(MultiMap headers) {
    String authorization = headers.get("Authorization");
    if (authorization != null && !authorization.isBlank()) {
      String token = bearer(authorization);
      Credential c = token == null ? null : match(tokens, null, token);
      if (c == null) {
        throw unauthenticated("the bearer token is not valid; send 'Authorization: Bearer <token>' with a configured API token");
      }
      return c;
    }
    String email = headers.get("X-Auth-Email");
    String key = headers.get("X-Auth-Key");
    if (email != null || key != null) {
      Credential c = email == null || key == null ? null : match(keys, email, key);
      if (c == null) {
        throw unauthenticated("X-Auth-Email and X-Auth-Key do not match a configured key; send both, or a bearer token");
      }
      return c;
    }
    throw unauthenticated("missing credentials: send 'Authorization: Bearer <token>' (or X-Auth-Email and X-Auth-Key)");
  }

  public static void authorize(Credential c, String accountId, Permission needed) {
    if (!c.permission().covers(needed)) {
      throw new GatewayException(ApiError.FORBIDDEN, "the credential '" + c.name()
          + "' is read-only; this operation needs a token with write permission");
    }
    if (!c.mayTouch(accountId)) {
      throw new GatewayException(ApiError.FORBIDDEN, "the credential '" + c.name()
          + "' may not access account " + accountId + "; use a token scoped to it");
    }
  }

  private static String bearer(String authorization) {
    String trimmed = authorization.trim();
    if (trimmed.length() > 7 && trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = trimmed.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  private static Credential match(List<Credential> candidates, String email, String secret) {
    byte[] presented = sha256(secret);
    Credential found = null;
    for (Credential c : candidates) {
      boolean hashEqual = MessageDigest.isEqual(c.sha256(), presented);
      boolean emailEqual = email == null
          || (c.email() != null && c.email().toLowerCase(Locale.ROOT).equals(email.trim().toLowerCase(Locale.ROOT)));
      if (hashEqual & emailEqual & found == null) {
        found = c;
      }
    }
    return found;
  }

  private static GatewayException unauthenticated(String message) {
    return new GatewayException(ApiError.UNAUTHENTICATED, message);
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  });

  public static byte[] sha256(String secret) {
    return SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256Hex(String secret) {
    return HexFormat.of().formatHex(sha256(secret));
  }
}
