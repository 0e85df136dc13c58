package io.warpgw.store.redis;

import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Registrations chosen to stress ordering: values that String.compareTo and code-point order sort
 * differently, prefixes of each other, empty strings, missing users / names / emails, equal keys that
 * only the id breaks, and times across the API's whole range (years 1 and 9999 included).
 */
final class RandomRegistrations {
  static final List<String> TEXTS = List.of(
      "", "a", "A", "ab", "a b", "a\u0001", "zz", "Zoë", "zoe", "\u00e9", "\uffff", "\ud83d\ude00",
      "\ud83d\ude00x", "\u4e2d\u6587", "\uE000", "~", "a\u001fb", "alice@example.com", "bob@EXAMPLE.com");
  static final List<Instant> TIMES = List.of(
      Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
      Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2025-03-01T12:00:00.123456Z"),
      Instant.parse("2025-03-01T12:00:00.123457Z"), Instant.parse("2255-06-05T23:47:34.740992Z"),
      Instant.parse("2255-06-05T23:47:34.740993Z"), Instant.parse("9999-12-31T23:59:59.999999Z"));

  private final Random random;

  RandomRegistrations(long seed) {
    this.random = new Random(seed);
  }

  List<Registration> make(int n) {
    Set<String> ids = new LinkedHashSet<>();
    while (ids.size() < n) {
      ids.add(id());
    }
    List<Registration> out = new ArrayList<>();
    for (String id : ids) {
      out.add(make(id));
    }
    return out;
  }

  Registration make(String id) {
    Instant created = time();
    User user = random.nextInt(5) == 0 ? null : new User(
        random.nextInt(4) == 0 ? null : "user-" + random.nextInt(6),
        random.nextInt(3) == 0 ? null : pick(TEXTS),
        random.nextInt(3) == 0 ? null : pick(TEXTS));
    if (user != null && user.id() == null && user.email() == null && user.name() == null) {
      user = null;
    }
    Policy policy = random.nextInt(3) == 0 ? null
        : new Policy("policy-" + random.nextInt(3), random.nextBoolean(), false, "Policy", created);
    return new Registration(id, created, time(), time(),
        new Device("device-" + random.nextInt(20), "d" + pick(TEXTS), random.nextBoolean() ? null : "2025.1"),
        "key-" + random.nextInt(1000), random.nextBoolean() ? "curve25519" : null,
        random.nextBoolean() ? "wireguard" : null, user, policy,
        random.nextInt(3) == 0 ? time() : null,
        random.nextInt(4) == 0 ? RegistrationType.BROWSER_EXTENSION : RegistrationType.WARP);
  }

  private String id() {
    String alphabet = "aAbB019_-zZ";
    int len = 1 + random.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  Instant time() {
    if (random.nextBoolean()) {
      return pick(TIMES);
    }
    long min = Timestamps.micros(TIMES.get(0));
    long max = Timestamps.micros(TIMES.get(TIMES.size() - 1));
    return Timestamps.ofMicros(min + (long) (random.nextDouble() * (max - min)));
  }

  <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  Random random() {
    return random;
  }
}
