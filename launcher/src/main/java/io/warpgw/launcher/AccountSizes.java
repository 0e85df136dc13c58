package io.warpgw.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * How many synthetic registrations each seeded account gets: {@code account-1} the first size,
 * {@code account-2} the second, and so on, the last size repeating for the remaining accounts. So
 * {@code --accounts 11 --per-account 1000000,100000} is one big account and ten smaller ones.
 */
public record AccountSizes(int accounts, List<Long> sizes) {
  public AccountSizes {
    if (accounts < 1 || sizes.isEmpty()) {
      throw new IllegalArgumentException("at least one account and one size");
    }
    sizes = List.copyOf(sizes);
  }

  public static AccountSizes even(int accounts, long perAccount) {
    return new AccountSizes(accounts, List.of(perAccount));
  }

  /** {@code "1000000,100000"}: sizes from 0 to {@code max} each, comma-separated. */
  static List<Long> parse(String text, long max) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      long n;
      try {
        n = Long.parseLong(part.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || n > max) {
        throw new IllegalArgumentException("--per-account takes sizes from 0 to " + max
            + ", comma-separated (the last one repeats), got '" + text + "'");
      }
      out.add(n);
    }
    return out;
  }

  /** @param account 1-based */
  public long of(int account) {
    return sizes.get(Math.min(account, sizes.size()) - 1);
  }

  public long total() {
    long total = 0;
    for (int a = 1; a <= accounts; a++) {
      total += of(a);
    }
    return total;
  }
}
