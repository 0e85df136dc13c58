package io.warpgw.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Code-point order")
class CodePointsTest {
  @Test
  @DisplayName("puts U+FF21 before U+1F600, where String.compareTo does the opposite")
  void supplementary() {
    String fullwidthA = "\uFF21";
    String grinning = "\uD83D\uDE00";
    assertThat(fullwidthA.compareTo(grinning)).isPositive();
    assertThat(CodePoints.compare(fullwidthA, grinning)).isNegative();
  }

  @Test
  @DisplayName("equals unsigned UTF-8 byte order (PostgreSQL COLLATE \"C\", Redis lex ranges) on random strings")
  void matchesUtf8() {
    Random rnd = new Random(42);
    int[] pool = {0x41, 0x61, 0x7A, 0xE9, 0x3A9, 0x65E5, 0xD7FF, 0xE000, 0xFF21, 0xFFFD, 0x1F600, 0x10FFFF};
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = rnd.nextInt(4); j >= 0; j--) {
        sb.appendCodePoint(pool[rnd.nextInt(pool.length)]);
      }
      strings.add(sb.toString());
    }
    for (int i = 0; i + 1 < strings.size(); i++) {
      String a = strings.get(i);
      String b = strings.get(i + 1);
      int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.signum(CodePoints.compare(a, b))).as("%s vs %s", a, b).isEqualTo(Integer.signum(bytes));
    }
  }
}
