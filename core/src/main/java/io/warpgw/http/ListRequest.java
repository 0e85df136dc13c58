package io.warpgw.http;

import io.warpgw.cursor.CursorCodec;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Identifiers;
import io.warpgw.model.Quote;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.model.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A list request, parsed from the query string: the store query, whether to include policies, and
 * the fingerprint that ties cursors to the filters and sort they were made for.
 */
public record ListRequest(RegistrationQuery query, boolean includePolicy, String fingerprint) {
  public static final int MAX_VALUES = 1000;
  public static final int MAX_SEARCH = 256;
  private static final int MAX_FILTER_VALUE = 1024;

  public static ListRequest parse(QueryParams p, String accountId, CursorCodec cursors) {
    int perPage = perPage(p.single("per_page"));
    Set<String> ids = values(p, "id", true);
    Set<String> userIds = values(p, "user.id", false);
    String deviceId = filterValue(p, "device.id");
    String policyId = filterValue(p, "policy.id");
    String search = search(p.single("search"));
    Instant seenAfter = time(p, "seen_after");
    Instant seenBefore = time(p, "seen_before");
    Status status = oneOf(p, "status", Status.ACTIVE, Status.values(), Status::wire);
    RegistrationType type = oneOf(p, "registration_type", null, RegistrationType.values(), RegistrationType::wire);
    SortField sortBy = oneOf(p, "sort_by", SortField.CREATED_AT, SortField.values(), SortField::wire);
    SortOrder sortOrder = oneOf(p, "sort_order", SortOrder.ASC, SortOrder.values(), SortOrder::wire);
    boolean includePolicy = include(p.all("include"));

    RegistrationQuery q = new RegistrationQuery(ids, deviceId, userIds, policyId, search,
        seenAfter == null ? null : Timestamps.truncate(seenAfter),
        seenBefore == null ? null : Timestamps.ceil(seenBefore),
        status, type, sortBy, sortOrder, perPage, null);
    String fingerprint = fingerprint(q);
    String cursor = p.single("cursor");
    if (cursor != null) {
      q = q.withAfter(cursors.decode(cursor, accountId, fingerprint));
    }
    return new ListRequest(q, includePolicy, fingerprint);
  }

  /** The {@code id} values of bulk delete, revoke and unrevoke: 1 to 1000 distinct ids. */
  public static Set<String> bulkIds(QueryParams p) {
    Set<String> ids = values(p, "id", true);
    if (ids.isEmpty()) {
      throw GatewayException.invalid("id is required: pass 1 to " + MAX_VALUES
          + " registration ids as id=a&id=b");
    }
    return ids;
  }

  private static int perPage(String v) {
    if (v == null) {
      return RegistrationQuery.DEFAULT_PER_PAGE;
    }
    // ASCII digits only: Integer.parseInt would also take other scripts' digits (per_page=１).
    String digits = v.trim();
    if (digits.matches("\\+?[0-9]{1,9}")) {
      int n = Integer.parseInt(digits);
      if (n >= 1 && n <= RegistrationQuery.MAX_PER_PAGE) {
        return n;
      }
    }
    throw GatewayException.invalid("per_page must be an integer from 1 to "
        + RegistrationQuery.MAX_PER_PAGE + ", got " + Quote.of(v));
  }

  private static Set<String> values(QueryParams p, String name, boolean identifiers) {
    List<String> raw = p.all(name);
    Set<String> out = new LinkedHashSet<>();
    for (String v : raw) {
      if (identifiers) {
        Identifiers.require(name, v);
      } else {
        checkFilterValue(name, v);
      }
      out.add(v);
    }
    if (out.size() > MAX_VALUES) {
      throw new GatewayException(ApiError.TOO_MANY, name + " takes at most " + MAX_VALUES
          + " values, got " + out.size() + "; split the request");
    }
    return out;
  }

  private static String filterValue(QueryParams p, String name) {
    String v = p.single(name);
    if (v != null) {
      checkFilterValue(name, v);
    }
    return v;
  }

  private static void checkFilterValue(String name, String v) {
    if (v.length() > MAX_FILTER_VALUE) {
      throw GatewayException.invalid(name + " must be at most " + MAX_FILTER_VALUE + " characters");
    }
  }

  private static String search(String v) {
    if (v == null) {
      return null;
    }
    if (v.length() > MAX_SEARCH) {
      throw GatewayException.invalid("search must be at most " + MAX_SEARCH + " characters, got " + v.length());
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        throw GatewayException.invalid("search must not contain control characters");
      }
    }
    return SearchText.fold(v);
  }

  private static Instant time(QueryParams p, String name) {
    String v = p.single(name);
    if (v == null) {
      return null;
    }
    Instant t = Timestamps.parse(v);
    if (t == null) {
      throw GatewayException.invalid(name + " must be an RFC 3339 time such as 2025-03-01T12:00:00Z, got " + Quote.of(v));
    }
    return t;
  }

  private static <E> E oneOf(QueryParams p, String name, E dflt, E[] choices, java.util.function.Function<E, String> wire) {
    String v = p.single(name);
    if (v == null) {
      return dflt;
    }
    for (E e : choices) {
      if (wire.apply(e).equals(v)) {
        return e;
      }
    }
    List<String> allowed = java.util.Arrays.stream(choices).map(wire).toList();
    throw GatewayException.invalid(name + " must be one of " + String.join(", ", allowed) + ", got " + Quote.of(v));
  }

  static boolean include(List<String> values) {
    boolean policy = false;
    for (String v : values) {
      for (String part : v.split(",")) {
        String item = part.trim();
        if (item.equals("policy")) {
          policy = true;
        } else if (!item.isEmpty()) {
          throw GatewayException.invalid("include accepts only 'policy', got " + Quote.of(item));
        }
      }
    }
    return policy;
  }

  /** Everything but the page size and position: a cursor is valid only for the same filters and sort. */
  static String fingerprint(RegistrationQuery q) {
    StringBuilder sb = new StringBuilder();
    sb.append(new TreeSet<>(q.ids())).append('|').append(q.deviceId()).append('|')
        .append(new TreeSet<>(q.userIds())).append('|').append(q.policyId()).append('|')
        .append(q.search()).append('|').append(q.seenAfter()).append('|').append(q.seenBefore())
        .append('|').append(q.status()).append('|').append(q.registrationType()).append('|')
        .append(q.sortBy()).append('|').append(q.sortOrder());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
