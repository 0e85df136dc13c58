package io.warpgw.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.warpgw.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query string, decoded case-sensitively, with the bracket spellings other clients send
 * ({@code id[]}, {@code user[id]}, {@code device[id][]}) folded into the dotted names the official
 * SDKs use. An empty value means the parameter is absent.
 */
public final class QueryParams {
  /** Enough for 1000 ids plus every other parameter; more is reported, not silently cut. */
  private static final int MAX_PARAMS = 4096;

  private final Map<String, List<String>> params;

  private QueryParams(Map<String, List<String>> params) {
    this.params = params;
  }

  public static QueryParams parse(String uri) {
    Map<String, List<String>> raw;
    try {
      raw = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_PARAMS + 1, true).parameters();
    } catch (IllegalArgumentException e) {
      throw GatewayException.invalid("the query string is not valid percent-encoding: " + e.getMessage());
    }
    Map<String, List<String>> params = new java.util.HashMap<>();
    int count = 0;
    for (Map.Entry<String, List<String>> e : raw.entrySet()) {
      List<String> values = params.computeIfAbsent(canonical(e.getKey()), k -> new ArrayList<>(1));
      for (String v : e.getValue()) {
        count++;
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
    }
    if (count > MAX_PARAMS) {
      throw new GatewayException(io.warpgw.error.ApiError.TOO_MANY,
          "the query string has more than " + MAX_PARAMS + " parameters");
    }
    return new QueryParams(params);
  }

  /** {@code user[id][]} → {@code user.id}; {@code id[]} → {@code id}. */
  static String canonical(String name) {
    if (name.indexOf('[') < 0) {
      return name;
    }
    String n = name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
    int open = n.indexOf('[');
    if (open > 0 && n.endsWith("]") && n.indexOf('[', open + 1) < 0) {
      return n.substring(0, open) + "." + n.substring(open + 1, n.length() - 1);
    }
    return n;
  }

  public List<String> all(String name) {
    return params.getOrDefault(name, List.of());
  }

  /** A parameter that takes one value; repeating it with different values is an error. */
  public String single(String name) {
    List<String> values = all(name);
    if (values.isEmpty()) {
      return null;
    }
    String first = values.get(0);
    for (String v : values) {
      if (!v.equals(first)) {
        throw GatewayException.invalid(name + " takes a single value, got " + values.size() + " different ones");
      }
    }
    return first;
  }
}
