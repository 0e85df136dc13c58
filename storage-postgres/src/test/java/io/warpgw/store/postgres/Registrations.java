package io.warpgw.store.postgres;

import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Registrations for tests: awkward on purpose (ties, missing users, non-ASCII, emoji). */
final class Registrations {
  static final Instant BASE = Instant.parse("2025-03-01T12:00:00.123456Z");
  private static final String[] NAMES = {"alice", "Alice", "bob", "Zoë", "zoe", "émile", "😀 smile",
      "\uFFFD", "", "a_b", "a%b", "名前"};

  private Registrations() {}

  static String account() {
    return "acct-" + UUID.randomUUID();
  }

  static Registration simple(String id) {
    return new Registration(id, BASE, BASE, BASE, new Device("dev-" + id, "Laptop " + id, null),
        "key-" + id, null, null, null, null, null, RegistrationType.WARP);
  }

  static List<Registration> random(int n, long seed) {
    Random rnd = new Random(seed);
    List<Registration> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = String.format("r%04d-%s", rnd.nextInt(10_000), Integer.toString(i, 36));
      Instant created = BASE.plusNanos(1_000L * rnd.nextInt(40)).plusSeconds(rnd.nextInt(3));
      Instant seen = BASE.plusNanos(1_000L * rnd.nextInt(1_000_000));
      User user = switch (rnd.nextInt(5)) {
        case 0 -> null;
        case 1 -> new User("u" + rnd.nextInt(8), null, null);
        case 2 -> new User(null, null, null);
        default -> new User("u" + rnd.nextInt(8), pick(rnd) + "@example.com", pick(rnd));
      };
      Policy policy = rnd.nextBoolean() ? null
          : new Policy("p" + rnd.nextInt(3), rnd.nextBoolean(), rnd.nextBoolean(),
              rnd.nextBoolean() ? null : "Policy", rnd.nextBoolean() ? null : seen);
      out.add(new Registration(id, created, created.plusSeconds(5), seen,
          new Device("d" + rnd.nextInt(20), pick(rnd) + "'s Laptop", rnd.nextBoolean() ? "2025.1" : null),
          "k" + i, rnd.nextBoolean() ? "curve25519" : null, rnd.nextBoolean() ? "masque" : null,
          user, policy, rnd.nextInt(4) == 0 ? seen.plusSeconds(1) : null,
          rnd.nextInt(3) == 0 ? RegistrationType.BROWSER_EXTENSION : RegistrationType.WARP));
    }
    return out;
  }

  private static String pick(Random rnd) {
    return NAMES[rnd.nextInt(NAMES.length)];
  }
}
