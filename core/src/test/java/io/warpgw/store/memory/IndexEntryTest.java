package io.warpgw.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpgw.model.CodePoints;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import io.warpgw.testkit.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Entries of the memory store's sort indexes")
class IndexEntryTest {
  private static final char[] UNITS = {'a', 'b', 'Z', 'é', '\u00ff', '\u4e00', '\ud7ff', '\ud83d', '\ude00',
      '\udbff', '\udfff', '\ue000', '\uff21', '\uffff'};

  @Test
  @DisplayName("compare with String.compareTo exactly as CodePoints.compare does the originals")
  void sameOrderAsCodePoints() {
    Random rnd = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      String a = random(rnd);
      String b = rnd.nextInt(4) == 0 ? a + random(rnd) : random(rnd);
      int expected = Integer.signum(CodePoints.compare(a, b));
      int actual = Integer.signum(IndexEntry.codePointKey(a).compareTo(IndexEntry.codePointKey(b)));
      assertThat(actual).as("%s vs %s", a, b).isEqualTo(expected);
    }
    assertThat(IndexEntry.codePointKey("plain ascii")).isSameAs("plain ascii");
  }

  @Test
  @DisplayName("sort registrations into exactly the order of each index")
  void sortsLikeTheIndexes() {
    List<Registration> all = new ArrayList<>(Fixtures.varied("sk", 3000, 3));
    // ids that share long prefixes, a NUL inside, surrogates: the packed units must not decide alone
    for (String id : List.of("same-prefix-\u0000a", "same-prefix-", "same-prefix-\uD83D\uDE00", "same-prefix-\uFF21",
        "same-prefix-\uFF21\u0000")) {
      Registration s = all.get(all.size() - 1);
      all.add(new Registration(id, s.createdAt(), s.updatedAt(), s.lastSeenAt(), s.device(), s.key(), s.keyType(),
          s.tunnelType(), s.user(), s.policy(), s.revokedAt(), s.registrationType()));
    }
    // names and emails around the byte encoding's edges: U+00FD..U+00FF, U+FFFF, NUL, long shared prefixes
    List<String> edgy = List.of("", "\u0000", "\u0000\u0000", "a", "a\u0000", "a\u0000b", "\u00fd", "\u00fe",
        "\u00ff", "\u00fe\u0000", "\uffff", "\uffff\uffff\uffff", "\uffff\uffff\uffff\uffff\uffff\uffff",
        "\uffff\uffff\uff00", "\ud83d\ude00", "\ue000", "sixteen-byte-pre", "sixteen-byte-prefix",
        "sixteen-byte-prefix-and-more", "sixteen-byte-prefiw");
    Registration t = all.get(0);
    for (int i = 0; i < edgy.size() * 3; i++) {
      String name = edgy.get(i % edgy.size());
      all.add(new Registration("edgy-" + (i % 7) + "-" + i, t.createdAt(), t.updatedAt(), t.lastSeenAt(),
          t.device(), t.key(), t.keyType(), t.tunnelType(),
          new io.warpgw.model.User("u" + i, edgy.get((i * 7) % edgy.size()), name), t.policy(), t.revokedAt(),
          t.registrationType()));
    }
    Registration[] input = all.toArray(Registration[]::new);
    for (SortField f : SortField.values()) {
      Registration[] expected = input.clone();
      Arrays.sort(expected, new IndexOrder(f));
      IndexEntry[] entries = Arrays.stream(input).map(r -> IndexEntry.of(f, r, IndexEntry.codePointKey(r.id())))
          .sorted(IndexEntry.ORDER).toArray(IndexEntry[]::new);
      assertThat(Arrays.stream(entries).map(e -> e.registration)).as("%s", f).containsExactly(expected);
      for (int i = 0; i < expected.length; i++) {
        IndexEntry probe = IndexEntry.probe(f, Position.of(f, expected[i]));
        assertThat(IndexEntry.ORDER.compare(probe, entries[i])).as("%s probe %d", f, i).isZero();
      }
    }
  }

  private static String random(Random rnd) {
    StringBuilder s = new StringBuilder();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      s.append(UNITS[rnd.nextInt(UNITS.length)]);
    }
    return s.toString();
  }
}
