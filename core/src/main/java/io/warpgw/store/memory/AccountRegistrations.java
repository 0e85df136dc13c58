package io.warpgw.store.memory;

import io.warpgw.error.GatewayException;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * The registrations of one account: a hash map by id, one {@link SortIndex} per sort field, and value
 * indexes for the equality filters. A read-write lock makes every change, bulk ones included, appear
 * at once to readers on other event loops; critical sections are in-memory and short (O(log n) per
 * registration touched, O(log n + page) per list page on the sort index).
 */
final class AccountRegistrations {
  /** Equality-filter candidate sets up to this size are sorted directly instead of walking an index. */
  private static final int CANDIDATE_LIMIT = 50_000;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // The maps and the indexes are replaced (under the write lock) only by a bulk load into the empty account.
  private Map<String, Registration> byId = new HashMap<>();
  private final EnumMap<SortField, SortIndex> sorted = new EnumMap<>(SortField.class);
  private MultiIndex byDevice = new MultiIndex(0);
  private MultiIndex byUser = new MultiIndex(0);
  private MultiIndex byPolicy = new MultiIndex(0);

  AccountRegistrations() {
    for (SortField f : SortField.values()) {
      sorted.put(f, new SortIndex());
    }
  }

  /** Ascending order of {@code f}, the same as {@link SortField#comparator} without string keys. */
  static Comparator<Registration> ascending(SortField f) {
    return new IndexOrder(f);
  }

  void clear() {
    lock.writeLock().lock();
    try {
      byId.clear();
      sorted.values().forEach(SortIndex::clear);
      byDevice.clear();
      byUser.clear();
      byPolicy.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  int size() {
    lock.readLock().lock();
    try {
      return byId.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  Registration get(String id) {
    lock.readLock().lock();
    try {
      Registration r = byId.get(id);
      if (r == null) {
        throw GatewayException.notFound(List.of(id));
      }
      return r;
    } finally {
      lock.readLock().unlock();
    }
  }

  Registration create(Registration r) {
    lock.writeLock().lock();
    try {
      if (byId.containsKey(r.id())) {
        throw GatewayException.conflict(r.id());
      }
      insert(r);
      return r;
    } finally {
      lock.writeLock().unlock();
    }
  }

  Set<String> insertAll(List<Registration> batch) {
    Set<String> existing = new java.util.LinkedHashSet<>();
    lock.writeLock().lock();
    try {
      for (Registration r : batch) {
        if (byId.containsKey(r.id())) {
          existing.add(r.id());
        } else {
          insert(r);
        }
      }
      return existing;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Adds many registrations at once (a bulk load), leaving out ids already here, and returns how many
   * it stored. Into an empty account the indexes are built from sorted arrays, in linear time after
   * the sort, instead of by one sorted insertion per registration and index.
   */
  long load(List<Registration> all) {
    if (size() == 0) {
      // Built outside the lock, where nothing of it is visible yet: sorting a million registrations
      // takes seconds, which readers of this account must not spend waiting.
      Built built = new Built(all);
      lock.writeLock().lock();
      try {
        if (byId.isEmpty()) {
          byId = built.byId;
          byDevice = built.byDevice;
          byUser = built.byUser;
          byPolicy = built.byPolicy;
          sorted.putAll(built.sorted);
          return built.byId.size();
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
    // Into registrations already here: a thousand at a time, so that readers get the lock in between.
    long stored = 0;
    for (int from = 0; from < all.size(); from += 1000) {
      lock.writeLock().lock();
      try {
        for (Registration r : all.subList(from, Math.min(all.size(), from + 1000))) {
          if (!byId.containsKey(r.id())) {
            insert(r);
            stored++;
          }
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
    return stored;
  }

  /** An account's maps and indexes built at once from registrations (ids already seen left out). */
  private static final class Built {
    final Map<String, Registration> byId;
    final MultiIndex byDevice;
    final MultiIndex byUser;
    final MultiIndex byPolicy;
    final EnumMap<SortField, SortIndex> sorted = new EnumMap<>(SortField.class);

    Built(List<Registration> all) {
      // Sized once: growing a map of a million entries step by step rehashes it twenty times.
      byId = new HashMap<>(Math.max(16, (int) (all.size() / 0.75f) + 1));
      byDevice = new MultiIndex(all.size());
      byUser = new MultiIndex(all.size());
      byPolicy = new MultiIndex(all.size());
      Registration[] fresh = new Registration[all.size()];
      int n = 0;
      for (Registration r : all) {
        if (byId.putIfAbsent(r.id(), r) == null) {
          fresh[n++] = r;
          byDevice.add(r.device().id(), r.id());
          byUser.add(r.userId(), r.id());
          byPolicy.add(r.policy() == null ? null : r.policy().id(), r.id());
        }
      }
      String[] idKeys = new String[n];
      for (int i = 0; i < n; i++) {
        idKeys[i] = IndexEntry.codePointKey(fresh[i].id());
      }
      int count = n;
      // The five sorts are independent: a parallel stream runs them on the caller and the common pool.
      List<IndexEntry[]> orders = java.util.Arrays.stream(SortField.values()).parallel().map(f -> {
        IndexEntry[] entries = new IndexEntry[count];
        for (int i = 0; i < count; i++) {
          entries[i] = IndexEntry.of(f, fresh[i], idKeys[i]);
        }
        java.util.Arrays.sort(entries, IndexEntry.ORDER);
        return entries;
      }).toList();
      int i = 0;
      for (SortField f : SortField.values()) {
        sorted.put(f, SortIndex.of(orders.get(i++)));
      }
    }
  }

  Registration update(String id, UnaryOperator<Registration> change) {
    lock.writeLock().lock();
    try {
      Registration old = byId.get(id);
      if (old == null) {
        throw GatewayException.notFound(List.of(id));
      }
      Registration updated = change.apply(old);
      remove(old);
      insert(updated);
      return updated;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** All or nothing: checks every id first, then applies {@code change} (null result = delete). */
  void changeAll(Set<String> ids, UnaryOperator<Registration> change) {
    lock.writeLock().lock();
    try {
      List<String> missing = ids.stream().filter(id -> !byId.containsKey(id)).sorted().toList();
      if (!missing.isEmpty()) {
        throw GatewayException.notFound(missing);
      }
      for (String id : ids) {
        Registration old = byId.get(id);
        Registration updated = change.apply(old);
        if (updated != old) {
          remove(old);
          if (updated != null) {
            insert(updated);
          }
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  Page list(RegistrationQuery q) {
    lock.readLock().lock();
    try {
      Collection<String> candidates = smallestCandidates(q);
      List<Registration> fetched = candidates != null ? fromCandidates(q, candidates) : fromIndex(q);
      return Page.of(fetched, q.perPage(), q.sortBy());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Walks the sort index from the position: O(log n) to seek, then one step per item examined. */
  private List<Registration> fromIndex(RegistrationQuery q) {
    SortIndex index = sorted.get(q.sortBy());
    IndexEntry probe = q.after() == null ? null : IndexEntry.probe(q.sortBy(), q.after());
    Iterator<IndexEntry> view = q.sortOrder() == SortOrder.ASC
        ? index.ascendingAfter(probe) : index.descendingBefore(probe);
    int want = q.perPage() + 1;
    List<Registration> out = new ArrayList<>(Math.min(want, 1024));
    while (view.hasNext()) {
      Registration r = view.next().registration;
      if (q.matches(r)) {
        out.add(r);
        if (out.size() == want) {
          break;
        }
      }
    }
    return out;
  }

  /** Keeps the first perPage+1 matching candidates in query order with a bounded heap. */
  private List<Registration> fromCandidates(RegistrationQuery q, Collection<String> ids) {
    Comparator<Registration> order = q.sortOrder() == SortOrder.ASC
        ? ascending(q.sortBy()) : ascending(q.sortBy()).reversed();
    int want = q.perPage() + 1;
    PriorityQueue<Registration> worstFirst = new PriorityQueue<>(Math.min(want, 1024) + 1, order.reversed());
    for (String id : ids) {
      Registration r = byId.get(id);
      if (r != null && q.matches(r) && q.isAfterPosition(r)) {
        worstFirst.add(r);
        if (worstFirst.size() > want) {
          worstFirst.poll();
        }
      }
    }
    List<Registration> out = new ArrayList<>(worstFirst);
    out.sort(order);
    return out;
  }

  /** The smallest id set an equality filter narrows the query to, or null to walk the sort index. */
  private Collection<String> smallestCandidates(RegistrationQuery q) {
    Collection<String> best = null;
    if (!q.ids().isEmpty()) {
      best = q.ids();
    }
    if (q.deviceId() != null) {
      best = smaller(best, byDevice.get(q.deviceId()));
    }
    if (q.policyId() != null) {
      best = smaller(best, byPolicy.get(q.policyId()));
    }
    if (!q.userIds().isEmpty()) {
      int total = 0;
      for (String u : q.userIds()) {
        total += byUser.count(u);
      }
      if (best == null || total < best.size()) {
        List<String> union = new ArrayList<>(total);
        for (String u : q.userIds()) {
          union.addAll(byUser.get(u));
        }
        best = union;
      }
    }
    return best != null && best.size() <= CANDIDATE_LIMIT ? best : null;
  }

  private static Collection<String> smaller(Collection<String> a, Collection<String> b) {
    return a == null || b.size() < a.size() ? b : a;
  }

  private void insert(Registration r) {
    byId.put(r.id(), r);
    String idKey = IndexEntry.codePointKey(r.id());
    sorted.forEach((f, index) -> index.add(IndexEntry.of(f, r, idKey)));
    byDevice.add(r.device().id(), r.id());
    byUser.add(r.userId(), r.id());
    byPolicy.add(r.policy() == null ? null : r.policy().id(), r.id());
  }

  private void remove(Registration r) {
    byId.remove(r.id());
    String idKey = IndexEntry.codePointKey(r.id());
    sorted.forEach((f, index) -> index.remove(IndexEntry.of(f, r, idKey)));
    byDevice.remove(r.device().id(), r.id());
    byUser.remove(r.userId(), r.id());
    byPolicy.remove(r.policy() == null ? null : r.policy().id(), r.id());
  }
}
