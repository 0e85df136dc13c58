package io.warpgw.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Quote;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One fault: which requests it matches (method, route name, account; absent = any), how often
 * ({@code probability}) and how many times at most ({@code times}; null = no end), and what it does:
 * latency (fixed, uniform or lognormal), an error response (with headers of its own, which override
 * the gateway's: {@code x-should-retry: true} makes an SDK retry it), or a dropped connection. Latency
 * may be combined with an error or a drop.
 */
public record FaultRule(String name, String method, String route, String account, double probability,
    Integer times, Latency latency, Integer errorStatus, Integer errorCode, String errorMessage,
    Map<String, String> errorHeaders, boolean drop) {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers that describe the body the gateway writes: a rule may not contradict them. */
  private static final Set<String> RESERVED = Set.of("content-type", "content-length", "transfer-encoding",
      "connection", "cf-ray", "x-gateway-fault");

  /** A delay distribution in milliseconds. */
  public record Latency(String kind, double a, double b) {
    long sample(Random rnd) {
      double ms = switch (kind) {
        case "fixed" -> a;
        case "uniform" -> a + rnd.nextDouble() * (b - a);
        default -> Math.exp(Math.log(a) + b * rnd.nextGaussian()); // lognormal: median a, sigma b
      };
      return Math.max(0, Math.round(ms));
    }

    JsonObject toJson() {
      return switch (kind) {
        case "fixed" -> new JsonObject().put("fixed_ms", a);
        case "uniform" -> new JsonObject().put("uniform_ms", new JsonArray().add(a).add(b));
        default -> new JsonObject().put("lognormal", new JsonObject().put("median_ms", a).put("sigma", b));
      };
    }
  }

  boolean matches(String requestMethod, String requestRoute, String requestAccount) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && (route == null || route.equals(requestRoute))
        && (account == null || account.equals(requestAccount));
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("name", name).put("method", method).put("route", route)
        .put("account", account).put("probability", probability);
    if (times != null) {
      o.put("times", times);
    }
    if (latency != null) {
      o.put("latency", latency.toJson());
    }
    if (errorStatus != null) {
      JsonObject e = new JsonObject().put("status", errorStatus).put("code", errorCode).put("message", errorMessage);
      if (!errorHeaders.isEmpty()) {
        e.put("headers", new JsonObject(new LinkedHashMap<>(errorHeaders)));
      }
      o.put("error", e);
    }
    if (drop) {
      o.put("drop", true);
    }
    return o;
  }

  /** Reads a rule, naming the field at fault; {@code at} says where the rule sits (e.g. rules[2]). */
  static FaultRule parse(JsonObject o, String at) {
    try {
      String name = o.getString("name", at);
      double p = o.getValue("probability") == null ? 1.0 : o.getDouble("probability");
      if (p < 0 || p > 1) {
        throw bad(at + ".probability must be between 0 and 1");
      }
      Latency latency = null;
      JsonObject l = o.getJsonObject("latency");
      if (l != null) {
        if (l.containsKey("fixed_ms")) {
          latency = new Latency("fixed", nonNegative(l.getDouble("fixed_ms"), at + ".latency.fixed_ms"), 0);
        } else if (l.containsKey("uniform_ms")) {
          JsonArray r = l.getJsonArray("uniform_ms");
          if (r == null || r.size() != 2 || r.getDouble(0) > r.getDouble(1)) {
            throw bad(at + ".latency.uniform_ms must be [min, max] with min <= max");
          }
          latency = new Latency("uniform", nonNegative(r.getDouble(0), at + ".latency.uniform_ms"), r.getDouble(1));
        } else if (l.containsKey("lognormal")) {
          JsonObject ln = l.getJsonObject("lognormal");
          double median = ln.getDouble("median_ms", 0.0);
          if (median <= 0) {
            throw bad(at + ".latency.lognormal.median_ms must be positive");
          }
          latency = new Latency("lognormal", median, nonNegative(ln.getDouble("sigma", 0.5), at + ".latency.lognormal.sigma"));
        } else {
          throw bad(at + ".latency must have fixed_ms, uniform_ms or lognormal");
        }
      }
      Integer times = o.getInteger("times");
      if (times != null && times < 1) {
        throw bad(at + ".times must be a positive integer (how many requests the rule hits at most)");
      }
      Integer status = null;
      Integer code = null;
      String message = null;
      Map<String, String> headers = Map.of();
      JsonObject e = o.getJsonObject("error");
      if (e != null) {
        status = e.getInteger("status");
        if (status == null || status < 400 || status > 599) {
          throw bad(at + ".error.status must be an HTTP error status (400-599)");
        }
        code = e.getInteger("code", defaultCode(status));
        message = e.getString("message", "fault injected by rule '" + name + "'");
        headers = headers(e.getJsonObject("headers"), at + ".error.headers");
      }
      boolean drop = o.getBoolean("drop", false);
      if (latency == null && status == null && !drop) {
        throw bad(at + " does nothing: give latency, error or drop");
      }
      String method = o.getString("method");
      return new FaultRule(name, method == null ? null : method.toUpperCase(Locale.ROOT), o.getString("route"),
          o.getString("account"), p, times, latency, status, code, message, headers, drop);
    } catch (ClassCastException e) {
      throw bad(at + " has a field of the wrong type: " + e.getMessage());
    }
  }

  private static Map<String, String> headers(JsonObject h, String at) {
    if (h == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String header : h.fieldNames()) {
      Object v = h.getValue(header);
      if (!HEADER_NAME.matcher(header).matches() || RESERVED.contains(header.toLowerCase(Locale.ROOT))) {
        throw bad(at + " may not set " + Quote.of(header) + ": give header names other than " + RESERVED);
      }
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)
          || String.valueOf(v).chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw bad(at + "." + header + " must be a string, number or boolean without control characters");
      }
      out.put(header, String.valueOf(v));
    }
    return Collections.unmodifiableMap(out);
  }

  private static int defaultCode(int status) {
    for (ApiError a : ApiError.values()) {
      if (a.status() == status) {
        return a.code();
      }
    }
    return status;
  }

  private static double nonNegative(Double v, String what) {
    if (v == null || v < 0) {
      throw bad(what + " must be a non-negative number");
    }
    return v;
  }

  private static GatewayException bad(String message) {
    return GatewayException.invalid(message);
  }
}
