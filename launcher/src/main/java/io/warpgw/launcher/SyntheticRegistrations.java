package io.warpgw.launcher;

import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic registrations for seeding: a fleet of users with one to three devices each, WireGuard and
 * MASQUE keys, a few device profiles, heartbeats over the last month, a few revoked. The same seed gives
 * the same registrations, so benchmarks and bug reports can be repeated.
 */
public final class SyntheticRegistrations {
  private static final List<String> FIRST = List.of("Alice", "Bob", "Chloé", "Dmitri", "Émile", "Fatima",
      "Göran", "Hiroshi", "Inés", "Jürgen", "Kwame", "Léa", "Mateo", "Nadia", "Oskar", "Priya", "Quinn",
      "Rafael", "Saoirse", "Tomás", "Ugo", "Valentina", "Wei", "Xóchitl", "Yusuf", "Zoë", "山田", "Ólafur");
  private static final List<String> LAST = List.of("Smith", "García", "Müller", "Nakamura", "Okafor",
      "Rossi", "Novák", "Larsen", "Kowalski", "Haddad", "Silva", "Dubois", "Andersson", "Ivanova", "Chen");
  private static final List<String> MODELS = List.of("MacBook Pro", "MacBook Air", "ThinkPad X1",
      "Surface Laptop", "Dell XPS 13", "iPhone 15", "Pixel 8", "Galaxy S24", "iPad Pro", "Framework 13");
  private static final List<String> VERSIONS = List.of("2024.12.554.0", "2025.1.861.0", "2025.2.600.0",
      "2025.4.943.0", "2025.5.735.1");
  private static final List<String> DOMAINS = List.of("example.com", "corp.example", "example.org");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final long YEAR_MICROS = 365L * 24 * 3600 * 1_000_000;
  private static final long MONTH_MICROS = 30L * 24 * 3600 * 1_000_000;

  private final SplittableRandom rnd;
  private final List<Policy> policies;
  private long userNo;
  private int devicesLeft;
  private User user;

  public SyntheticRegistrations(long seed) {
    this.rnd = new SplittableRandom(seed);
    Instant t = Instant.parse("2025-06-01T09:00:00Z");
    this.policies = List.of(
        new Policy("policy-default", true, false, "Default", t),
        new Policy("policy-engineering", false, false, "Engineering", t.plusSeconds(86_400)),
        new Policy("policy-contractors", false, false, "Contractors", t.plusSeconds(172_800)),
        new Policy("policy-legacy", false, true, "Legacy", t.minusSeconds(86_400)));
  }

  public Registration next() {
    if (devicesLeft == 0) {
      devicesLeft = 1 + rnd.nextInt(3);
      user = rnd.nextInt(10) == 0 ? null : newUser();
    }
    devicesLeft--;
    long createdMicros = Timestamps.micros(NOW) - YEAR_MICROS + rnd.nextLong(YEAR_MICROS - MONTH_MICROS);
    Instant created = Timestamps.ofMicros(createdMicros);
    Instant seen = Timestamps.ofMicros(createdMicros + rnd.nextLong(Timestamps.micros(NOW) - createdMicros));
    boolean masque = rnd.nextInt(3) == 0;
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    String model = MODELS.get(rnd.nextInt(MODELS.size()));
    String owner = user == null || user.name() == null ? "shared" : firstWord(user.name());
    Device device = new Device(uuid(), model + " (" + owner + ")", VERSIONS.get(rnd.nextInt(VERSIONS.size())));
    Policy policy = policies.get(rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(policies.size() - 1));
    Instant revoked = rnd.nextInt(30) == 0 ? seen.plusSeconds(60) : null;
    return new Registration(uuid(), created, revoked != null ? revoked : seen, seen, device,
        Base64.getEncoder().encodeToString(key),
        masque ? "secp256r1" : "curve25519", masque ? "masque" : "wireguard",
        user, policy, revoked,
        rnd.nextInt(20) == 0 ? RegistrationType.BROWSER_EXTENSION : RegistrationType.WARP);
  }

  private User newUser() {
    userNo++;
    String first = FIRST.get(rnd.nextInt(FIRST.size()));
    String last = LAST.get(rnd.nextInt(LAST.size()));
    String email = (ascii(first) + "." + ascii(last) + userNo).toLowerCase(java.util.Locale.ROOT) + "@"
        + DOMAINS.get(rnd.nextInt(DOMAINS.size()));
    return new User(uuid(), email, rnd.nextInt(20) == 0 ? null : first + " " + last);
  }

  /** Folded once per name rather than once per user: the regex cost a tenth of the generation. */
  private static final java.util.Map<String, String> ASCII = new java.util.HashMap<>();

  private static String ascii(String s) {
    synchronized (ASCII) {
      return ASCII.computeIfAbsent(s, n -> java.text.Normalizer.normalize(n, java.text.Normalizer.Form.NFD)
          .replaceAll("[^A-Za-z]", ""));
    }
  }

  /** {@code name.split(" ")[0]} without the regex machinery (this runs millions of times). */
  private static String firstWord(String name) {
    int space = name.indexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }

  private String uuid() {
    return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L, (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }
}
