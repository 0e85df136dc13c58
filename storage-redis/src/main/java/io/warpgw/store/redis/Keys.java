package io.warpgw.store.redis;

import io.warpgw.model.SortField;

/**
 * Every Redis key the store uses. All keys of an account start with {@code <prefix>{<account>}}, so
 * they share the account as cluster hash tag and one Lua script may touch any of them:
 * <pre>
 *   <base>:r:<id>               string one registration ({@link RecordFields})
 *   <base>:i:<sort>:<status>    zset   all scores 0, members ordered byte-wise = the sort order;
 *                                      sort in id|c|l|n|e, status a (active) | r (revoked)
 *   <base>:x:dev                zset   scores 0, members "<device id> NUL <id>": the ids of one
 *                                      device are the lex range [<device id> NUL, <device id> 0x01)
 *   <base>:x:usr                zset   the same for user ids
 *   <base>:x:pol                zset   the same for policy ids
 * </pre>
 * Outside the accounts, and never matched by their SCAN patterns:
 * <pre>
 *   <prefix>ratelimit:{<credential name>}   string  a rate-limit window's count, expiring with it;
 *                                               the name (never a secret) is its own hash tag
 * </pre>
 * One key per equality filter rather than one per value: a device has mostly a single registration,
 * and a key of its own would cost more than the registration's entry; one zset also lets an import
 * batch add all its entries with one ZADD.
 * The Lua scripts build the same names from {@link #luaPrelude()}, so this class stays their only
 * definition.
 */
final class Keys {
  static final String RECORD = ":r:";
  static final String INDEX = ":i:";
  static final String DEVICE = ":x:dev";
  static final String USER = ":x:usr";
  static final String POLICY = ":x:pol";
  static final String ACTIVE = "a";
  static final String REVOKED = "r";

  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  /** The key every script of the account is routed by; never stored itself. */
  String base(String accountId) {
    return prefix + "{" + accountId + "}";
  }

  String record(String accountId, String id) {
    return base(accountId) + RECORD + id;
  }

  String index(String accountId, SortField sort, boolean revoked) {
    return base(accountId) + INDEX + sortCode(sort) + ":" + (revoked ? REVOKED : ACTIVE);
  }

  String devices(String accountId) {
    return base(accountId) + DEVICE;
  }

  String users(String accountId) {
    return base(accountId) + USER;
  }

  String policies(String accountId) {
    return base(accountId) + POLICY;
  }

  String rateCounter(String credentialName) {
    return prefix + "ratelimit:{" + credentialName + "}";
  }

  /** The short name of a sort index, which is also the record field holding its key. */
  static String sortCode(SortField sort) {
    return switch (sort) {
      case ID -> "id";
      case CREATED_AT -> RecordFields.CREATED;
      case LAST_SEEN_AT -> RecordFields.LAST_SEEN;
      case USER_NAME -> RecordFields.USER_NAME;
      case USER_EMAIL -> RecordFields.USER_EMAIL;
    };
  }

  /** SCAN pattern of every key of every account: {@code <prefix>{*}, and no other store's keys. */
  String allAccountKeys() {
    return glob(prefix) + "{*";
  }

  /**
   * SCAN pattern of the id indexes, active and revoked: an account holds a registration exactly when
   * one of them exists, since Redis removes a sorted set with its last member.
   */
  String idIndexes() {
    return glob(prefix) + "{*}" + INDEX + "id:[" + ACTIVE + REVOKED + "]";
  }

  /** The account of a key {@link #idIndexes()} matched. */
  String accountOfIdIndex(String key) {
    return key.substring(prefix.length() + 1, key.length() - ("}" + INDEX + "id:" + ACTIVE).length());
  }

  /**
   * The {@link #base} of an account key as Redis hashes it (up to the first '}'), or null when the
   * key has no hash tag, so it cannot be removed along with an account.
   */
  String baseOf(String key) {
    int close = key.indexOf('}', prefix.length() + 1);
    return key.startsWith(prefix + "{") && close > prefix.length() + 1 ? key.substring(0, close + 1)
        : null;
  }

  /** A key that is never stored, used only to route a call to the master serving its slot. */
  String route(int n) {
    return prefix + "route-" + n;
  }

  /** The text as a SCAN pattern matching only itself. */
  private static String glob(String text) {
    StringBuilder b = new StringBuilder(text.length() + 4);
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  static String luaPrelude() {
    return "local BASE = KEYS[1]\n"
        + "local RECORD, INDEX, DEVICE, USER, POLICY = '" + RECORD + "', '" + INDEX + "', '" + DEVICE
        + "', '" + USER + "', '" + POLICY + "'\n"
        + "local ACTIVE, REVOKED = '" + ACTIVE + "', '" + REVOKED + "'\n";
  }
}
