package io.warpgw.model;

/**
 * Where a list page ended: the sort key and id of its last item. The next page starts strictly after
 * it in the query's order.
 *
 * @param key the sort key as {@link SortField#keyOf} writes it: null for {@code id} sorts and for a
 *     missing user name or email, epoch microseconds in decimal for time sorts
 */
public record Position(String key, String id) {

  public static Position of(SortField field, Registration last) {
    return new Position(field.keyOf(last), last.id());
  }

  /** The key of a time sort, in epoch microseconds. */
  public long micros() {
    return Long.parseLong(key);
  }
}
