package io.warpgw.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Timestamps")
class TimestampsTest {
  @Test
  @DisplayName("are written exactly as ISO_INSTANT writes the instant truncated to microseconds")
  void sameAsIsoInstant() {
    Random rnd = new Random(5);
    long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long s = min + (long) (rnd.nextDouble() * (max - min));
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> rnd.nextInt(1000) * 1_000_000;
        case 2 -> rnd.nextInt(1_000_000) * 1000;
        default -> rnd.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(s, nanos);
      assertThat(Timestamps.format(t)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MICROS)));
    }
    for (String edge : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999Z", "2024-02-29T12:00:00.100Z", "2000-01-01T00:00:00.000001Z"}) {
      assertThat(Timestamps.format(Instant.parse(edge))).isEqualTo(edge);
    }
  }

  @Test
  @DisplayName("are read exactly as ISO_OFFSET_DATE_TIME reads them, the hand-written path included")
  void parseSameAsJavaTime() {
    Random rnd = new Random(7);
    long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      Instant t = Instant.ofEpochSecond(min + (long) (rnd.nextDouble() * (max - min)),
          i % 3 == 0 ? 0 : rnd.nextInt(1_000_000_000));
      String text = i % 2 == 0 ? Timestamps.format(t) : DateTimeFormatter.ISO_INSTANT.format(t);
      assertThat(Timestamps.parse(text)).as(text).isEqualTo(javaTime(text));
      char[] padded = ("xx" + text + "yy").toCharArray();
      assertThat(Timestamps.parse(padded, 2, text.length())).as(text).isEqualTo(javaTime(text));
    }
    for (String text : new String[] {"2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "2100-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-12-31T23:59:60Z", "2025-12-31T24:00:00Z",
        "2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-01T00:60:00Z",
        "2025-01-01t00:00:00z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00.1234567891Z",
        "2025-01-01T00:00:00.123456789Z", "2025-01-01T00:00:00.1Z", "2025-01-01T00:00:00+02:00",
        "2025-01-01T00:00:00.5-01:30", "2025-01-01 00:00:00Z", "2025-1-01T00:00:00Z", "+12025-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z", "2025-01-01T00:00:0xZ", "2025-01-01T00:00:00,5Z", "", "Z",
        "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z"}) {
      assertThat(Timestamps.parse(text)).as(text).isEqualTo(javaTime(text));
      assertThat(Timestamps.parse(text.toCharArray(), 0, text.length())).as(text).isEqualTo(javaTime(text));
    }
  }

  private static Instant javaTime(String text) {
    try {
      return java.time.OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  @Test
  @DisplayName("are written into a char array without changing the text")
  void formatIntoArray() {
    char[] out = new char[Timestamps.MAX_TEXT];
    for (String text : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-02-29T12:00:00.100Z",
        "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.5Z", "+1000000000-12-31T23:59:59.999999Z"}) {
      Instant t = Instant.parse(text);
      assertThat(new String(out, 0, Timestamps.format(t, out))).isEqualTo(Timestamps.format(t))
          .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(t));
    }
  }
}
