package io.warpgw.store.redis;

import io.warpgw.model.Position;
import io.warpgw.model.SortField;
import io.warpgw.model.Timestamps;
import java.time.Instant;

/**
 * Members of the sort indexes. Every index is a sorted set whose scores are all 0, so Redis orders
 * its members byte-wise, and byte-wise order of UTF-8 is code-point order. A member is the sort key
 * followed by the id, encoded so that this byte order is exactly {@link SortField}'s ascending order:
 * <ul>
 *   <li>times: 18 decimal digits of microseconds since 0001-01-01, then the id. Fixed width makes
 *       text order numeric order over the API's whole range (years 1-9999); a double score would be
 *       exact only up to 2^53 µs, i.e. between 1685 and 2255.
 *   <li>user name / email: 0x01, the value, 0x00, the id; a missing value is 0x02, 0x00, the id. No
 *       value contains NUL, so 0x00 ends a value below any character that could continue it, and
 *       0x02 puts every missing value after every present one.
 *   <li>id: the id alone.
 * </ul>
 */
final class SortKeys {
  /** 0001-01-01T00:00:00Z in epoch microseconds, negated: the offset that makes every time non-negative. */
  private static final long OFFSET = 62_135_596_800_000_000L;
  static final String PRESENT = "\u0001";
  static final String MISSING = "\u0002";
  static final String END = "\u0000";

  private SortKeys() {}

  static String time(Instant t) {
    return time(Timestamps.micros(t));
  }

  static String time(long epochMicros) {
    String digits = Long.toString(epochMicros + OFFSET);
    return "000000000000000000".substring(digits.length()) + digits;
  }

  /** The record field for a user name or email: the member without its id. */
  static String text(String value) {
    return value == null ? MISSING : PRESENT + value;
  }

  /** The id at the end of an index member. */
  static String idOf(SortField sort, String member) {
    return switch (sort) {
      case ID -> member;
      case CREATED_AT, LAST_SEEN_AT -> member.substring(18);
      case USER_NAME, USER_EMAIL -> member.substring(member.indexOf(END) + 1);
    };
  }

  /** The position of the item whose index member this is: {@link #member}'s inverse. */
  static Position position(SortField sort, String member) {
    return switch (sort) {
      case ID -> new Position(null, member);
      case CREATED_AT, LAST_SEEN_AT -> new Position(
          Long.toString(Long.parseLong(member.substring(0, 18)) - OFFSET), member.substring(18));
      case USER_NAME, USER_EMAIL -> {
        int end = member.indexOf(END);
        yield new Position(member.startsWith(MISSING) ? null : member.substring(1, end),
            member.substring(end + 1));
      }
    };
  }

  /** The index member of the item a page ended at. */
  static String member(SortField sort, Position p) {
    return switch (sort) {
      case ID -> p.id();
      case CREATED_AT, LAST_SEEN_AT -> time(p.micros()) + p.id();
      case USER_NAME, USER_EMAIL -> text(p.key()) + END + p.id();
    };
  }
}
