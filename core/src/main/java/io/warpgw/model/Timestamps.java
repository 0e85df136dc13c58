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
    long seconds = t.getEpochSecond();
    int micros = t.getNano() / 1000;
    if (seconds < MIN_FAST || seconds >= MAX_FAST) {
      return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MICROS));
    }
    long day = Math.floorDiv(seconds, 86_400);
    int secOfDay = (int) Math.floorMod(seconds, 86_400);
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
    char[] out = new char[27];
    int year = date.getYear();
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
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
    return new String(out, 0, n);
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
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  public static Instant ofMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
