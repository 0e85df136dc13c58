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

  static String luaPrelude() {
    return "local BASE = KEYS[1]\n"
        + "local RECORD, INDEX, DEVICE, USER, POLICY = '" + RECORD + "', '" + INDEX + "', '" + DEVICE
        + "', '" + USER + "', '" + POLICY + "'\n"
        + "local ACTIVE, REVOKED = '" + ACTIVE + "', '" + REVOKED + "'\n";
  }
}
