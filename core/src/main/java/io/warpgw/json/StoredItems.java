package io.warpgw.json;

import io.vertx.core.buffer.Buffer;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Registrations as a store read them: each one's stored bytes, decoded into a {@link Registration}
 * only when asked for ({@link #get}, once each). A page of them is written from the bytes
 * ({@link JsonBodies#page}), which is most of what a list page of a store holding JSON costs
 * otherwise. Each item is its JSON as {@link StoredRegistrations#read} takes it, with
 * {@code updated_at} and {@code revoked_at} kept apart as the text {@code Timestamps.format} wrote
 * (an empty {@code revoked_at}: not revoked). Immutable once built.
 */
public final class StoredItems extends AbstractList<Registration>
    implements RandomAccess, Page.Unmodifiable {
  private static final int FIELDS = 6;

  private final byte[][] bytes;
  /** Per item: JSON offset and length, updated_at offset and length, revoked_at offset and length. */
  private final int[] at;
  private final int size;
  private final Registration[] decoded;

  private StoredItems(byte[][] bytes, int[] at, int size) {
    this.bytes = bytes;
    this.at = at;
    this.size = size;
    this.decoded = new Registration[size];
  }

  /** Collects the items of one list. */
  public static final class Builder {
    private byte[][] bytes;
    private int[] at;
    private int size;

    public Builder(int expected) {
      int n = Math.max(1, expected);
      bytes = new byte[n][];
      at = new int[n * FIELDS];
    }

    public Builder add(byte[] b, int jsonOff, int jsonLen, int updatedOff, int updatedLen, int revokedOff,
        int revokedLen) {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, size * 2);
        at = Arrays.copyOf(at, size * 2 * FIELDS);
      }
      bytes[size] = b;
      int i = size * FIELDS;
      at[i] = jsonOff;
      at[i + 1] = jsonLen;
      at[i + 2] = updatedOff;
      at[i + 3] = updatedLen;
      at[i + 4] = revokedOff;
      at[i + 5] = revokedLen;
      size++;
      return this;
    }

    public int size() {
      return size;
    }

    /** The first {@code n} items collected (all of them when fewer). */
    public StoredItems build(int n) {
      return new StoredItems(bytes, at, Math.min(n, size));
    }
  }

  @Override
  public Registration get(int index) {
    Registration r = decoded[index];
    if (r == null) {
      int i = index * FIELDS;
      r = StoredRegistrations.read(bytes[index], at[i], at[i + 1], at[i + 2], at[i + 3], at[i + 4], at[i + 5]);
      decoded[index] = r;
    }
    return r;
  }

  @Override
  public int size() {
    return size;
  }

  /**
   * Appends item {@code index} to {@code out} as {@link JsonBodies} writes a registration, copied
   * from its stored bytes; false, with nothing appended, when they are not in the form
   * {@link StoredCopy} copies.
   */
  boolean copy(int index, boolean includePolicy, Buffer out) {
    int i = index * FIELDS;
    return StoredCopy.copy(bytes[index], at[i], at[i + 1], at[i + 2], at[i + 3], at[i + 4], at[i + 5],
        includePolicy, out);
  }
}
