package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpgw.model.SortField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every key of an account straight from Redis and checks the invariants the scripts keep:
 * a registration is a complete record, present in exactly the five sort indexes of its status and in
 * the device, user and policy entries; and no index or set entry exists without its registration.
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
        Map<String, String> fields = record(host, port, key);
        assertThat(fields.keySet()).as("fields of %s", key).containsAll(REQUIRED);
        records.put(id, fields);
      }
    }
    int entries = 0;
    int filterEntries = 0;
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
        String field = key.equals(keys.devices(account)) ? RecordFields.DEVICE
            : key.equals(keys.users(account)) ? RecordFields.USER : RecordFields.POLICY;
        for (Object m : (List<?>) Resp.call(host, port, "ZRANGE", key, "0", "-1")) {
          String member = (String) m;
          int nul = member.indexOf('\0');
          String id = member.substring(nul + 1);
          Map<String, String> f = records.get(id);
          assertThat(f).as("record of %s in %s", id, key).isNotNull();
          assertThat(f.get(field)).as("%s of %s", field, id).isEqualTo(storedValue(field, member.substring(0, nul)));
          filterEntries++;
        }
      }
    }
    assertThat(entries).as("sort index entries").isEqualTo(records.size() * SortField.values().length);
    int expectedFilterEntries = 0;
    for (Map<String, String> f : records.values()) {
      expectedFilterEntries += 1 + (f.containsKey(RecordFields.USER) ? 1 : 0)
          + (f.containsKey(RecordFields.POLICY) ? 1 : 0);
    }
    // Each entry was matched to its record above; equal counts mean no record lacks one.
    assertThat(filterEntries).as("device, user and policy entries").isEqualTo(expectedFilterEntries);
    return new ArrayList<>(records.keySet());
  }

  private static String storedValue(String field, String value) {
    return field.equals(RecordFields.USER) ? RecordFields.USER_MARK + value : value;
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

  private static Map<String, String> record(String host, int port, String key) {
    String[] values = ((String) Resp.call(host, port, "GET", key)).split("\0", -1);
    assertThat(values).as("values of %s", key).hasSize(RecordFields.ORDER.size());
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (!values[i].isEmpty()) {
        m.put(RecordFields.ORDER.get(i), values[i]);
      }
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
