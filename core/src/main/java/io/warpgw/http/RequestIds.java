package io.warpgw.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in Cloudflare's cf-ray shape: 16 hex digits and a location suffix. */
public final class RequestIds {
  static final String KEY = "gateway.request-id";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static String next() {
    long v = ThreadLocalRandom.current().nextLong();
    char[] out = new char[20];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    out[16] = '-';
    out[17] = 'G';
    out[18] = 'W';
    out[19] = 'Y';
    return new String(out);
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY, "-");
  }
}
