package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpgw.model.SortField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every key of an account straight from Redis and checks the invariants the scripts keep:
 * a registration is a complete hash, present in exactly the five sort indexes of its status and in
 * the sets of its device, user and policy; and no index or set entry exists without its registration.
 */
final class AccountConsistency {
  private static final List<String> REQUIRED = List.of(RecordFields.JSON, RecordFields.UPDATED,
      RecordFields.SEARCH, RecordFields.TYPE, RecordFields.CREATED, RecordFields.LAST_SEEN,
      RecordFields.USER_NAME, RecordFields.USER_EMAIL, RecordFields.DEVICE);

  private AccountConsistency() {}

  /** @return the ids of the registrations the account holds */
  static List<String> check(String host, int port, Keys keys, String account) {
    String base = keys.base(account);
    List<String> all = scan(host, port, base + ":*");
    Map<String, Map<String, String>> records = new HashMap<>();
    for (String key : all) {
      if (key.startsWith(base + Keys.RECORD)) {
        String id = key.substring((base + Keys.RECORD).length());
        Map<String, String> fields = hash(host, port, key);
        assertThat(fields.keySet()).as("fields of %s", key).containsAll(REQUIRED);
        records.put(id, fields);
      }
    }
    int entries = 0;
    for (String key : all) {
      if (key.startsWith(base + Keys.INDEX)) {
        String[] parts = key.substring((base + Keys.INDEX).length()).split(":");
        String sort = parts[0];
        boolean revoked = parts[1].equals(Keys.REVOKED);
        for (Object m : (List<?>) Resp.call(host, port, "ZRANGE", key, "0", "-1")) {
          String member = (String) m;
          String id = idOf(sort, member);
          Map<String, String> f = records.get(id);
          assertThat(f).as("record of %s in %s", id, key).isNotNull();
          assertThat(f.containsKey(RecordFields.REVOKED)).as("status of %s in %s", id, key).isEqualTo(revoked);
          assertThat(member).isEqualTo(memberOf(sort, f, id));
          entries++;
        }
      } else if (!key.startsWith(base + Keys.RECORD)) {
        String field = key.startsWith(base + Keys.DEVICE) ? RecordFields.DEVICE
            : key.startsWith(base + Keys.USER) ? RecordFields.USER : RecordFields.POLICY;
        String value = key.substring(key.indexOf(':', base.length() + 1) + 1);
        for (Object m : (List<?>) Resp.call(host, port, "ZRANGE", key, "0", "-1")) {
          Map<String, String> f = records.get((String) m);
          assertThat(f).as("record of %s in %s", m, key).isNotNull();
          assertThat(f.get(field)).as("%s of %s", field, m).isEqualTo(value);
        }
      }
    }
    assertThat(entries).as("sort index entries").isEqualTo(records.size() * SortField.values().length);
    for (Map.Entry<String, Map<String, String>> r : records.entrySet()) {
      Map<String, String> f = r.getValue();
      assertThat(isMember(host, port, keys.device(account, f.get(RecordFields.DEVICE)), r.getKey())).isTrue();
      if (f.containsKey(RecordFields.USER)) {
        assertThat(isMember(host, port, keys.user(account, f.get(RecordFields.USER)), r.getKey())).isTrue();
      }
      if (f.containsKey(RecordFields.POLICY)) {
        assertThat(isMember(host, port, keys.policy(account, f.get(RecordFields.POLICY)), r.getKey())).isTrue();
      }
    }
    return new ArrayList<>(records.keySet());
  }

  private static boolean isMember(String host, int port, String key, String id) {
    return Resp.call(host, port, "ZSCORE", key, id) != null;
  }

  private static String idOf(String sort, String member) {
    return switch (sort) {
      case "id" -> member;
      case "c", "l" -> member.substring(18);
      default -> member.substring(member.indexOf('\0') + 1);
    };
  }

  private static String memberOf(String sort, Map<String, String> f, String id) {
    return switch (sort) {
      case "id" -> id;
      case "c", "l" -> f.get(sort) + id;
      default -> f.get(sort) + "\0" + id;
    };
  }

  private static Map<String, String> hash(String host, int port, String key) {
    List<?> flat = (List<?>) Resp.call(host, port, "HGETALL", key);
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < flat.size(); i += 2) {
      m.put((String) flat.get(i), (String) flat.get(i + 1));
    }
    return m;
  }

  private static List<String> scan(String host, int port, String pattern) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> r = (List<?>) Resp.call(host, port, "SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
      cursor = (String) r.get(0);
      ((List<?>) r.get(1)).forEach(k -> keys.add((String) k));
    } while (!cursor.equals("0"));
    return keys;
  }
}
