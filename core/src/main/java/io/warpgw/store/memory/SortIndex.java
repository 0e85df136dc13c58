package io.warpgw.store.memory;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One sort index of an account: its entries in {@link IndexEntry#ORDER}, kept in sorted chunks of at
 * most {@value #CHUNK}, each with the entries' {@link IndexEntry#prime} and {@link IndexEntry#second}
 * longs beside them.
 *
 * <p>Why not a {@link java.util.TreeSet}: an insert into a red-black tree of a million entries visits
 * some twenty nodes scattered over the heap, a cache miss each, and comparing at each step reads the
 * entry behind the node. Here a search reads two arrays of longs (the chunks' first primes, then one
 * chunk's longs) and looks at an entry only on a tie; an insert then shifts part of one chunk. An
 * import into a large account spent most of its time in {@code TreeMap.put}. A slot takes 20 bytes
 * (a tree node 40), and iterating a page is walking an array.
 *
 * <p>Not thread-safe: the account's lock guards it like the rest of the account.
 */
final class SortIndex {
  static final int CHUNK = 512;
  /** How full a bulk build leaves each chunk, so that inserts after it do not split at once. */
  private static final int BUILD_FILL = CHUNK * 3 / 4;
  /** A chunk this small is merged into a neighbour that has room. */
  private static final int MERGE_BELOW = CHUNK / 8;

  private Chunk[] chunks = new Chunk[4];
  /** The longs of each chunk's first entry. */
  private long[] heads = new long[4];
  private long[] headSeconds = new long[4];
  private int count;
  private int size;

  /** An index of {@code sorted}, which must be in {@link IndexEntry#ORDER} without equal entries. */
  static SortIndex of(IndexEntry[] sorted) {
    SortIndex index = new SortIndex();
    int n = (sorted.length + BUILD_FILL - 1) / BUILD_FILL;
    index.chunks = new Chunk[Math.max(4, n + n / 4)];
    index.heads = new long[index.chunks.length];
    index.headSeconds = new long[index.chunks.length];
    for (int from = 0; from < sorted.length; from += BUILD_FILL) {
      Chunk c = new Chunk();
      int len = Math.min(BUILD_FILL, sorted.length - from);
      System.arraycopy(sorted, from, c.items, 0, len);
      for (int i = 0; i < len; i++) {
        c.primes[i] = c.items[i].prime;
        c.seconds[i] = c.items[i].second;
      }
      c.size = len;
      index.chunks[index.count] = c;
      index.head(index.count++);
    }
    index.size = sorted.length;
    return index;
  }

  int size() {
    return size;
  }

  void clear() {
    chunks = new Chunk[4];
    heads = new long[4];
    headSeconds = new long[4];
    count = 0;
    size = 0;
  }

  /** Adds {@code e}; false if an equal entry is here already. */
  boolean add(IndexEntry e) {
    if (count == 0) {
      insertChunk(0, new Chunk());
    }
    int c = chunkFor(e);
    Chunk chunk = chunks[c];
    int p = chunk.lowerBound(e);
    if (p < chunk.size && chunk.compare(e, p) == 0) {
      return false;
    }
    if (chunk.size == CHUNK) {
      Chunk right = chunk.splitOff(CHUNK / 2);
      insertChunk(c + 1, right);
      head(c + 1);
      if (p > chunk.size) {
        p -= chunk.size;
        chunk = right;
        c++;
      }
    }
    chunk.insert(p, e);
    head(c);
    size++;
    return true;
  }

  /** Removes the entry equal to {@code e}; false if there is none. */
  boolean remove(IndexEntry e) {
    if (count == 0) {
      return false;
    }
    int c = chunkFor(e);
    Chunk chunk = chunks[c];
    int p = chunk.lowerBound(e);
    if (p == chunk.size || chunk.compare(e, p) != 0) {
      return false;
    }
    chunk.delete(p);
    size--;
    if (chunk.size == 0) {
      removeChunk(c);
      return true;
    }
    head(c);
    if (chunk.size < MERGE_BELOW) {
      if (c + 1 < count && chunk.size + chunks[c + 1].size <= CHUNK / 2) {
        chunk.append(chunks[c + 1]);
        removeChunk(c + 1);
      } else if (c > 0 && chunks[c - 1].size + chunk.size <= CHUNK / 2) {
        chunks[c - 1].append(chunk);
        removeChunk(c);
      }
    }
    return true;
  }

  /** The entries after {@code probe} (all of them when null), in ascending order. */
  Iterator<IndexEntry> ascendingAfter(IndexEntry probe) {
    if (count == 0) {
      return java.util.Collections.emptyIterator();
    }
    if (probe == null) {
      return new Ascending(0, 0);
    }
    int c = chunkFor(probe);
    Chunk chunk = chunks[c];
    int p = chunk.lowerBound(probe);
    if (p < chunk.size && chunk.compare(probe, p) == 0) {
      p++;
    }
    return new Ascending(c, p);
  }

  /** The entries before {@code probe} (all of them when null), in descending order. */
  Iterator<IndexEntry> descendingBefore(IndexEntry probe) {
    if (count == 0) {
      return java.util.Collections.emptyIterator();
    }
    if (probe == null) {
      return new Descending(count - 1, chunks[count - 1].size - 1);
    }
    int c = chunkFor(probe);
    return new Descending(c, chunks[c].lowerBound(probe) - 1);
  }

  /** The last chunk whose first entry is at most {@code e}, or the first chunk. */
  private int chunkFor(IndexEntry e) {
    int lo = 1;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(e, heads[mid], headSeconds[mid], chunks[mid].items[0]) >= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return lo - 1;
  }

  /** {@link IndexEntry#ORDER} of {@code e} against {@code other}, whose longs are given. */
  private static int compare(IndexEntry e, long prime, long second, IndexEntry other) {
    int c = Long.compareUnsigned(e.prime, prime);
    if (c == 0) {
      c = Long.compareUnsigned(e.second, second);
    }
    return c != 0 ? c : IndexEntry.ORDER.compare(e, other);
  }

  private void head(int c) {
    heads[c] = chunks[c].primes[0];
    headSeconds[c] = chunks[c].seconds[0];
  }

  private void insertChunk(int at, Chunk chunk) {
    if (count == chunks.length) {
      chunks = Arrays.copyOf(chunks, count * 2);
      heads = Arrays.copyOf(heads, count * 2);
      headSeconds = Arrays.copyOf(headSeconds, count * 2);
    }
    System.arraycopy(chunks, at, chunks, at + 1, count - at);
    System.arraycopy(heads, at, heads, at + 1, count - at);
    System.arraycopy(headSeconds, at, headSeconds, at + 1, count - at);
    chunks[at] = chunk;
    count++;
  }

  private void removeChunk(int at) {
    System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
    System.arraycopy(heads, at + 1, heads, at, count - at - 1);
    System.arraycopy(headSeconds, at + 1, headSeconds, at, count - at - 1);
    chunks[--count] = null;
  }

  /** Up to {@value #CHUNK} consecutive entries, sorted, with their longs at the same positions. */
  private static final class Chunk {
    final IndexEntry[] items = new IndexEntry[CHUNK];
    final long[] primes = new long[CHUNK];
    final long[] seconds = new long[CHUNK];
    int size;

    int compare(IndexEntry e, int at) {
      return SortIndex.compare(e, primes[at], seconds[at], items[at]);
    }

    /** The first position whose entry is at least {@code e} ({@code size} if none). */
    int lowerBound(IndexEntry e) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(e, mid) > 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    void insert(int at, IndexEntry e) {
      System.arraycopy(items, at, items, at + 1, size - at);
      System.arraycopy(primes, at, primes, at + 1, size - at);
      System.arraycopy(seconds, at, seconds, at + 1, size - at);
      items[at] = e;
      primes[at] = e.prime;
      seconds[at] = e.second;
      size++;
    }

    void delete(int at) {
      System.arraycopy(items, at + 1, items, at, size - at - 1);
      System.arraycopy(primes, at + 1, primes, at, size - at - 1);
      System.arraycopy(seconds, at + 1, seconds, at, size - at - 1);
      items[--size] = null;
    }

    /** Moves the entries from {@code from} on into a new chunk, which it returns. */
    Chunk splitOff(int from) {
      Chunk right = new Chunk();
      right.size = size - from;
      System.arraycopy(items, from, right.items, 0, right.size);
      System.arraycopy(primes, from, right.primes, 0, right.size);
      System.arraycopy(seconds, from, right.seconds, 0, right.size);
      Arrays.fill(items, from, size, null);
      size = from;
      return right;
    }

    /** Appends all of {@code next}, whose entries all come after this chunk's. */
    void append(Chunk next) {
      System.arraycopy(next.items, 0, items, size, next.size);
      System.arraycopy(next.primes, 0, primes, size, next.size);
      System.arraycopy(next.seconds, 0, seconds, size, next.size);
      size += next.size;
    }
  }

  private final class Ascending implements Iterator<IndexEntry> {
    private int c;
    private int p;

    Ascending(int c, int p) {
      this.c = c;
      this.p = p;
      settle();
    }

    private void settle() {
      while (c < count && p >= chunks[c].size) {
        c++;
        p = 0;
      }
    }

    @Override
    public boolean hasNext() {
      return c < count;
    }

    @Override
    public IndexEntry next() {
      if (c >= count) {
        throw new NoSuchElementException();
      }
      IndexEntry e = chunks[c].items[p++];
      settle();
      return e;
    }
  }

  private final class Descending implements Iterator<IndexEntry> {
    private int c;
    private int p;

    Descending(int c, int p) {
      this.c = c;
      this.p = p;
      settle();
    }

    private void settle() {
      while (c >= 0 && p < 0) {
        c--;
        p = c >= 0 ? chunks[c].size - 1 : -1;
      }
    }

    @Override
    public boolean hasNext() {
      return c >= 0;
    }

    @Override
    public IndexEntry next() {
      if (c < 0) {
        throw new NoSuchElementException();
      }
      IndexEntry e = chunks[c].items[p--];
      settle();
      return e;
    }
  }
}
