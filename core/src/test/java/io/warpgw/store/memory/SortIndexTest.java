package io.warpgw.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import io.warpgw.testkit.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SortIndex} against a {@link TreeSet} with the same order, through random adds and removes
 * of thousands of varied registrations (so chunks fill, split, empty and merge), checking after each
 * round the size, both full walks, and walks from probes that are in the index and that are not.
 */
@DisplayName("The memory store's chunked sort index")
class SortIndexTest {

  @ParameterizedTest
  @EnumSource(SortField.class)
  @DisplayName("holds and walks the same entries as a TreeSet, through adds, removes, splits and merges")
  void behavesLikeATreeSet(SortField field) {
    List<IndexEntry> pool = entries(field, 6000, 11);
    Random rnd = new Random(field.ordinal());
    SortIndex index = new SortIndex();
    NavigableSet<IndexEntry> model = new TreeSet<>(IndexEntry.ORDER);
    for (int round = 0; round < 12; round++) {
      // Grow in the early rounds, shrink to nearly nothing in round 8, then grow again.
      int adds = round == 8 ? 0 : 2500;
      int removes = round == 8 ? model.size() - 3 : 700 + rnd.nextInt(1500);
      for (int i = 0; i < adds; i++) {
        IndexEntry e = pool.get(rnd.nextInt(pool.size()));
        assertThat(index.add(e)).isEqualTo(model.add(e));
      }
      List<IndexEntry> present = new ArrayList<>(model);
      for (int i = 0; i < removes; i++) {
        IndexEntry e = rnd.nextInt(10) == 0 ? pool.get(rnd.nextInt(pool.size()))
            : present.get(rnd.nextInt(present.size()));
        // An equal entry made anew, as the store's remove does, not the instance that was added.
        IndexEntry copy = IndexEntry.of(field, e.registration, IndexEntry.codePointKey(e.registration.id()));
        assertThat(index.remove(copy)).isEqualTo(model.remove(copy));
      }
      assertSame(field, index, model, pool, rnd);
    }
  }

  @ParameterizedTest
  @EnumSource(SortField.class)
  @DisplayName("built from a sorted array, walks it and takes inserts and removes after")
  void builtFromASortedArray(SortField field) {
    List<IndexEntry> pool = entries(field, 5000, 12);
    int built = pool.size() * 4 / 5;
    IndexEntry[] sorted = pool.subList(0, built).stream().sorted(IndexEntry.ORDER).toArray(IndexEntry[]::new);
    SortIndex index = SortIndex.of(sorted);
    NavigableSet<IndexEntry> model = new TreeSet<>(IndexEntry.ORDER);
    model.addAll(Arrays.asList(sorted));
    Random rnd = new Random(7);
    assertSame(field, index, model, pool, rnd);
    for (IndexEntry e : pool.subList(built, pool.size())) {
      assertThat(index.add(e)).isEqualTo(model.add(e));
    }
    for (int i = 0; i < 2000; i++) {
      IndexEntry e = pool.get(rnd.nextInt(pool.size()));
      assertThat(index.remove(e)).isEqualTo(model.remove(e));
    }
    assertSame(field, index, model, pool, rnd);
    assertSame(field, SortIndex.of(new IndexEntry[0]), new TreeSet<>(IndexEntry.ORDER), pool, rnd);
  }

  @ParameterizedTest
  @EnumSource(SortField.class)
  @DisplayName("orders entries by their two longs wherever those differ")
  void primesAgreeWithTheOrder(SortField field) {
    IndexEntry[] sorted = entries(field, 3000, 13).stream().sorted(IndexEntry.ORDER).toArray(IndexEntry[]::new);
    for (int i = 1; i < sorted.length; i++) {
      int c = Long.compareUnsigned(sorted[i - 1].prime, sorted[i].prime);
      if (c == 0) {
        c = Long.compareUnsigned(sorted[i - 1].second, sorted[i].second);
      }
      assertThat(c).as("%s at %d", field, i).isLessThanOrEqualTo(0);
    }
  }

  private static void assertSame(SortField field, SortIndex index, NavigableSet<IndexEntry> model,
      List<IndexEntry> pool, Random rnd) {
    assertThat(index.size()).isEqualTo(model.size());
    assertThat(list(index.ascendingAfter(null))).containsExactlyElementsOf(model);
    assertThat(list(index.descendingBefore(null))).containsExactlyElementsOf(model.descendingSet());
    for (int i = 0; i < 40; i++) {
      // A probe is made from a position, as a cursor's is: equal to an entry's, or between two.
      Registration r = pool.get(rnd.nextInt(pool.size())).registration;
      IndexEntry probe = IndexEntry.probe(field, Position.of(field, r));
      assertThat(list(index.ascendingAfter(probe))).as("after %s", r.id())
          .containsExactlyElementsOf(model.tailSet(probe, false));
      assertThat(list(index.descendingBefore(probe))).as("before %s", r.id())
          .containsExactlyElementsOf(model.headSet(probe, false).descendingSet());
    }
  }

  private static List<IndexEntry> list(Iterator<IndexEntry> it) {
    List<IndexEntry> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<IndexEntry> entries(SortField field, int n, long seed) {
    List<IndexEntry> out = new ArrayList<>();
    for (Registration r : Fixtures.varied("si", n, seed)) {
      out.add(IndexEntry.of(field, r, IndexEntry.codePointKey(r.id())));
    }
    return out;
  }
}
