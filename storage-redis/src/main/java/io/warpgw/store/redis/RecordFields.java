package io.warpgw.store.redis;

import io.vertx.core.json.JsonObject;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Registration;
import io.warpgw.model.SearchText;
import io.warpgw.model.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * How one registration is laid out in its hash. {@code updated_at} and {@code revoked_at} live
 * outside the JSON because the revoke scripts change them and scripts should not rewrite JSON; every
 * other field the scripts need (index keys, filter values, search text) is precomputed here, so Lua
 * never parses JSON nor folds case.
 */
final class RecordFields {
  static final String JSON = "j";
  static final String UPDATED = "up";
  static final String REVOKED = "rv";
  static final String SEARCH = "s";
  static final String TYPE = "t";
  static final String CREATED = "c";
  static final String LAST_SEEN = "l";
  static final String USER_NAME = "n";
  static final String USER_EMAIL = "e";
  static final String DEVICE = "d";
  static final String USER = "u";
  static final String POLICY = "p";

  /** The order in which scripts receive a record's values, after its id. */
  static final List<String> ORDER = List.of(
      JSON, UPDATED, REVOKED, SEARCH, TYPE, CREATED, LAST_SEEN, USER_NAME, USER_EMAIL, DEVICE, USER, POLICY);

  /** Stands for an absent value: no stored text can contain NUL (RegistrationJson rejects it). */
  static final String ABSENT = "\0";

  private RecordFields() {}

  /** The id followed by the values in {@link #ORDER}, {@link #ABSENT} for missing ones. */
  static List<String> of(Registration r) {
    JsonObject json = RegistrationJson.toJson(r, true);
    json.remove("updated_at");
    json.remove("revoked_at");
    json.remove("deleted_at");
    List<String> v = new ArrayList<>(ORDER.size() + 1);
    v.add(r.id());
    v.add(json.encode());
    v.add(Timestamps.format(r.updatedAt()));
    v.add(orAbsent(Timestamps.format(r.revokedAt())));
    v.add(SearchText.of(r));
    v.add(r.registrationType().wire());
    v.add(SortKeys.time(r.createdAt()));
    v.add(SortKeys.time(r.lastSeenAt()));
    v.add(SortKeys.text(r.userName()));
    v.add(SortKeys.text(r.userEmail()));
    v.add(r.device().id());
    v.add(orAbsent(r.userId()));
    v.add(orAbsent(r.policy() == null ? null : r.policy().id()));
    return v;
  }

  /** Rebuilds a registration from the three stored values that describe it completely. */
  static Registration read(String json, String updatedAt, String revokedAt) {
    JsonObject j = new JsonObject(json)
        .put("updated_at", updatedAt)
        .put("revoked_at", revokedAt == null || revokedAt.isEmpty() ? null : revokedAt);
    return RegistrationJson.fromStored(j);
  }

  private static String orAbsent(String s) {
    return s == null ? ABSENT : s;
  }

  static String luaPrelude() {
    StringBuilder sb = new StringBuilder("local ABSENT = '\\0'\nlocal FIELDS = {");
    for (String f : ORDER) {
      sb.append('\'').append(f).append("', ");
    }
    return sb.append("}\n").toString();
  }
}
