package io.warpgw.model;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The one way the gateway reads, writes and rounds times: UTC, microsecond precision. */
public final class Timestamps {
  private Timestamps() {}

  public static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  public static Instant truncate(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  /** The smallest microsecond instant not before {@code t}. */
  public static Instant ceil(Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.MICROS);
    return floor.equals(t) ? floor : floor.plus(1, ChronoUnit.MICROS);
  }

  /**
   * What {@link DateTimeFormatter#ISO_INSTANT} writes for {@code t} truncated to microseconds, written
   * by hand for years 0001-9999: the formatter was a quarter of the CPU of a list page.
   */
  public static String format(Instant t) {
    if (t == null) {
      return null;
    }
    char[] out = new char[MAX_TEXT];
    return new String(out, 0, format(t, out));
  }

  /** The longest text {@link #format(Instant, char[])} writes (years past 9999 included). */
  public static final int MAX_TEXT = 40;

  /**
   * Writes {@link #format(Instant)}'s text into {@code out} (at least {@link #MAX_TEXT} long) from
   * index 0 and returns its length: no allocation for years 0001-9999, so a page can write its
   * hundreds of times straight into the JSON generator.
   */
  public static int format(Instant t, char[] out) {
    long seconds = t.getEpochSecond();
    int micros = t.getNano() / 1000;
    if (seconds < MIN_FAST || seconds >= MAX_FAST) {
      String slow = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MICROS));
      slow.getChars(0, slow.length(), out, 0);
      return slow.length();
    }
    long day = Math.floorDiv(seconds, 86_400);
    int secOfDay = (int) Math.floorMod(seconds, 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse), without LocalDate.
    long z = day + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int doe = (int) (z - era * 146_097);
    int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dayOfMonth = doy - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, month, 2);
    out[7] = '-';
    digits(out, 8, dayOfMonth, 2);
    out[10] = 'T';
    digits(out, 11, secOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secOfDay % 60, 2);
    int n = 19;
    if (micros != 0) {
      out[n++] = '.';
      if (micros % 1000 == 0) {
        digits(out, n, micros / 1000, 3);
        n += 3;
      } else {
        digits(out, n, micros, 6);
        n += 6;
      }
    }
    out[n++] = 'Z';
    return n;
  }

  private static final long MIN_FAST = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  private static final long MAX_FAST = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Parses RFC 3339 ({@code 2025-03-01T12:00:00Z}, {@code ...+02:00}); null when it is not one. */
  public static Instant parse(String text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    if (n >= 20 && n <= 30 && text.charAt(n - 1) == 'Z') {
      char[] chars = new char[n];
      text.getChars(0, n, chars, 0);
      Instant fast = parseUtc(chars, 0, n);
      if (fast != null) {
        return fast;
      }
    }
    return parseSlow(text);
  }

  /**
   * {@link #parse(String)} of {@code len} characters of {@code text} from {@code off}, without a
   * String for the usual UTC form ({@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z}, as {@link #format} writes
   * it): stored registrations carry three to five times each, and java.time's parser was a quarter
   * of the CPU of a Redis list page.
   */
  public static Instant parse(char[] text, int off, int len) {
    Instant fast = parseUtc(text, off, len);
    return fast != null ? fast : parseSlow(new String(text, off, len));
  }

  private static Instant parseSlow(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The instant of {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} with a valid date and time, or null for any
   * other text (lower-case t/z, offsets, leap seconds...), which then goes to java.time, so what is
   * accepted and what it means never differ from {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
   */
  private static Instant parseUtc(char[] c, int off, int len) {
    if (len < 20 || len > 30 || c[off + len - 1] != 'Z' || c[off + 4] != '-' || c[off + 7] != '-'
        || c[off + 10] != 'T' || c[off + 13] != ':' || c[off + 16] != ':') {
      return null;
    }
    int year = number(c, off, 4);
    int month = number(c, off + 5, 2);
    int day = number(c, off + 8, 2);
    int hour = number(c, off + 11, 2);
    int minute = number(c, off + 14, 2);
    int second = number(c, off + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    int fraction = len - 21;
    if (fraction > 0) {
      if (c[off + 19] != '.' || fraction > 9 || (nanos = number(c, off + 20, fraction)) < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    } else if (len != 20) {
      return null;
    }
    // Days since 1970-01-01 of the civil date (H. Hinnant's days_from_civil).
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long) era * 146_097 + doe - 719_468;
    return Instant.ofEpochSecond(days * 86_400 + hour * 3600 + minute * 60 + second, nanos);
  }

  /**
   * True when the {@code len} ASCII bytes from {@code off} are exactly what {@link #format} writes
   * for the instant {@link #parse} reads from them, in years 0001-9999: such a stored time may be
   * copied into a response as it is, since reading and writing it again gives the same bytes.
   */
  public static boolean isFormatted(byte[] b, int off, int len) {
    if ((len != 20 && len != 24 && len != 27) || b[off + 4] != '-' || b[off + 7] != '-'
        || b[off + 10] != 'T' || b[off + 13] != ':' || b[off + 16] != ':' || b[off + len - 1] != 'Z') {
      return false;
    }
    int year = number(b, off, 4);
    int month = number(b, off + 5, 2);
    int day = number(b, off + 8, 2);
    int hour = number(b, off + 11, 2);
    int minute = number(b, off + 14, 2);
    int second = number(b, off + 17, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return false;
    }
    if (len == 20) {
      return true;
    }
    int digits = len - 21;
    int fraction = number(b, off + 20, digits);
    // format writes three digits for whole milliseconds, six otherwise, and none for zero
    return b[off + 19] == '.' && fraction > 0 && (digits == 3 || fraction % 1000 != 0);
  }

  private static int number(byte[] b, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** The decimal value of {@code width} ASCII digits, or -1 if one is not a digit. */
  private static int number(char[] c, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  public static Instant ofMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
