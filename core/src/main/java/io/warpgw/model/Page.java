package io.warpgw.model;

import java.util.List;

/**
 * One page of a list, in the query's order.
 *
 * @param next where the next page starts, or null when no further item matches
 */
public record Page(List<Registration> items, Position next) {
  public Page {
    items = items instanceof Unmodifiable ? items : List.copyOf(items);
  }

  /**
   * A list of items that never changes, which a page keeps as it is instead of copying it: a store's
   * list that decodes its items only when asked for (copying would decode them all).
   */
  public interface Unmodifiable {}

  /** Builds a page from up to {@code perPage + 1} items: the extra one only says another page exists. */
  public static Page of(List<Registration> fetched, int perPage, SortField sortBy) {
    if (fetched.size() <= perPage) {
      return new Page(fetched, null);
    }
    List<Registration> items = fetched.subList(0, perPage);
    return new Page(items, Position.of(sortBy, items.get(perPage - 1)));
  }
}
