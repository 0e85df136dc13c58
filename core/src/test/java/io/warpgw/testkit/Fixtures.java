package io.warpgw.testkit;

import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Registrations for tests, built to hit the edges of API.md's ordering: equal keys, names outside
 * ASCII and outside the BMP (where UTF-16 order and code-point order disagree), missing users and
 * users without a name or email, equal timestamps, revoked ones.
 */
public final class Fixtures {
  /** Chosen so that String.compareTo and code-point order disagree: U+FF21 vs U+1F600. */
  public static final List<String> NAMES = List.of(
      "alice", "Alice", "bob", "Zoë", "zoe", "Ωmega", "élise", "\uFF21wide", "\uD83D\uDE00smile",
      "\uD83D\uDE00smile", "日本", "alice", "Ａlice", "b", "");
  public static final List<String> EMAILS = List.of(
      "a@example.com", "A@example.com", "b@example.com", "ü@example.com", "\uD83D\uDE00@example.com",
      "\uFFFD@example.com", "a@example.com");
  public static final Instant BASE = Instant.parse("2025-03-01T12:00:00Z");
  public static final List<String> POLICIES = List.of("policy-default", "policy-eng", "policy-ops");

  private Fixtures() {}

  public static String account() {
    return "acct-" + UUID.randomUUID().toString().substring(0, 12);
  }

  public static Registration simple(String id) {
    Instant t = Timestamps.truncate(Instant.now());
    return new Registration(id, t, t, t, new Device("dev-" + id, "Device " + id, "2025.1.0"),
        "key-" + id, "curve25519", "wireguard", new User("user-" + id, id + "@example.com", "User " + id),
        new Policy("policy-default", true, false, "Default", BASE), null, RegistrationType.WARP);
  }

  /** {@code n} registrations with ids {@code prefix-0000…}, deterministic for a seed. */
  public static List<Registration> varied(String prefix, int n, long seed) {
    Random rnd = new Random(seed);
    List<Registration> out = new ArrayList<>(n);
    java.util.Set<String> used = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%s-%05d", prefix, rnd.nextInt(4) == 0 ? n - i : i);
      if (!used.add(id)) {
        continue;
      }
      // Few distinct instants, so ties on time sorts are common; some with sub-millisecond parts.
      Instant created = BASE.plusSeconds(rnd.nextInt(Math.max(2, n / 4))).plusNanos(rnd.nextInt(3) * 1_000L);
      Instant seen = created.plusSeconds(rnd.nextInt(50)).plusNanos(rnd.nextInt(1000) * 1000L);
      User user = switch (rnd.nextInt(6)) {
        case 0 -> null;
        case 1 -> new User("u-" + rnd.nextInt(10), null, pick(rnd, NAMES));
        case 2 -> new User("u-" + rnd.nextInt(10), pick(rnd, EMAILS), null);
        default -> new User("u-" + rnd.nextInt(10), pick(rnd, EMAILS), pick(rnd, NAMES));
      };
      Policy policy = rnd.nextInt(4) == 0 ? null
          : new Policy(pick(rnd, POLICIES), rnd.nextBoolean(), false, "Profile", BASE);
      out.add(new Registration(
          id, created, created, seen,
          new Device("device-" + rnd.nextInt(n), "Laptop " + pick(rnd, NAMES), rnd.nextBoolean() ? "2025.2.1" : null),
          "k" + Long.toHexString(rnd.nextLong()),
          rnd.nextBoolean() ? "curve25519" : (rnd.nextBoolean() ? "secp256r1" : null),
          rnd.nextBoolean() ? "wireguard" : (rnd.nextBoolean() ? "masque" : null),
          user, policy,
          rnd.nextInt(5) == 0 ? seen.plusSeconds(5) : null,
          rnd.nextInt(7) == 0 ? RegistrationType.BROWSER_EXTENSION : RegistrationType.WARP));
    }
    return out;
  }

  private static String pick(Random rnd, List<String> values) {
    return values.get(rnd.nextInt(values.size()));
  }
}
