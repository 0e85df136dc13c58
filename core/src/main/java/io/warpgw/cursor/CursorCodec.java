package io.warpgw.cursor;

import io.vertx.core.json.JsonArray;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Position;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cursors: the position a page ended at, with the account and the query it was made for, signed with
 * HMAC-SHA256 so that a client can neither forge one nor reuse one elsewhere. Any gateway sharing the
 * secret accepts the cursors of the others.
 */
public final class CursorCodec {
  private static final String VERSION = "1";
  private static final int SIGNATURE_BYTES = 16;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;

  public CursorCodec(byte[] secret) {
    this.key = new SecretKeySpec(Arrays.copyOf(secret, secret.length), "HmacSHA256");
    this.mac = ThreadLocal.withInitial(this::newMac);
  }

  public String encode(String accountId, String queryFingerprint, Position p) {
    byte[] payload = new JsonArray().add(VERSION).add(accountId).add(queryFingerprint)
        .add(p.key()).add(p.id()).encode().getBytes(StandardCharsets.UTF_8);
    return B64.encodeToString(payload) + "." + B64.encodeToString(sign(payload));
  }

  public Position decode(String cursor, String accountId, String queryFingerprint) {
    int dot = cursor.indexOf('.');
    byte[] payload;
    byte[] signature;
    try {
      payload = B64D.decode(cursor.substring(0, Math.max(dot, 0)));
      signature = B64D.decode(cursor.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid("it is not a cursor this gateway issued");
    }
    // Base64 decoding ignores the unused low bits of the last character, so compare the canonical
    // re-encoding too: a cursor with any character changed must fail, not just most of them.
    if (dot < 0 || !MessageDigest.isEqual(sign(payload), signature)
        || !B64.encodeToString(payload).equals(cursor.substring(0, dot))
        || !B64.encodeToString(signature).equals(cursor.substring(dot + 1))) {
      throw invalid("its signature does not match (was it changed, or issued by a gateway with another cursor.secret?)");
    }
    JsonArray parts = new JsonArray(new String(payload, StandardCharsets.UTF_8));
    if (!VERSION.equals(parts.getString(0))) {
      throw invalid("it was issued by an incompatible version");
    }
    if (!accountId.equals(parts.getString(1))) {
      throw invalid("it belongs to another account");
    }
    if (!queryFingerprint.equals(parts.getString(2))) {
      throw invalid("it was made for other filters or another sort; repeat the original filters, sort_by and sort_order with it");
    }
    return new Position(parts.getString(3), parts.getString(4));
  }

  private byte[] sign(byte[] payload) {
    return Arrays.copyOf(mac.get().doFinal(payload), SIGNATURE_BYTES);
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM has no HmacSHA256", e);
    }
  }

  private static GatewayException invalid(String why) {
    return new GatewayException(ApiError.INVALID_CURSOR,
        "cursor is not valid: " + why + ". Pass the result_info.cursor of the previous page unchanged, or omit cursor to start over");
  }
}
