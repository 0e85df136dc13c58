package io.warpgw.store.memory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Value → registration ids, for the equality filters. Most values (a device, often a user) have a
 * single registration, so a lone id is kept as itself and only grows into a set when shared: a million
 * one-element sets would cost more than the registrations they point at.
 */
final class MultiIndex {
  private final Map<String, Object> byValue;

  /** @param expected how many values are about to come (a bulk load), to size the map once; 0 if unknown */
  MultiIndex(int expected) {
    byValue = new HashMap<>(Math.max(16, (int) (expected / 0.75f) + 1));
  }

  void add(String value, String id) {
    if (value == null) {
      return;
    }
    byValue.merge(value, id, (old, ignored) -> {
      if (old instanceof String single) {
        Set<String> set = new HashSet<>(4);
        set.add(single);
        set.add(id);
        return set;
      }
      @SuppressWarnings("unchecked")
      Set<String> set = (Set<String>) old;
      set.add(id);
      return set;
    });
  }

  void remove(String value, String id) {
    if (value == null) {
      return;
    }
    byValue.computeIfPresent(value, (k, old) -> {
      if (old instanceof String single) {
        return single.equals(id) ? null : single;
      }
      @SuppressWarnings("unchecked")
      Set<String> set = (Set<String>) old;
      set.remove(id);
      return set.size() == 1 ? set.iterator().next() : set;
    });
  }

  void clear() {
    byValue.clear();
  }

  @SuppressWarnings("unchecked")
  Collection<String> get(String value) {
    Object v = byValue.get(value);
    if (v == null) {
      return List.of();
    }
    return v instanceof String single ? List.of(single) : (Set<String>) v;
  }

  int count(String value) {
    Object v = byValue.get(value);
    return v == null ? 0 : v instanceof String ? 1 : ((Set<?>) v).size();
  }
}
