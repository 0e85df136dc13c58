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
}
