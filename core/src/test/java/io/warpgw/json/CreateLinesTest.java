package io.warpgw.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Registration;
import io.warpgw.testkit.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The streamed reading of import lines against {@link RegistrationJson#fromCreate} on a JsonObject,
 * line by line: the same registration or the same error for valid lines and for thousands of seeded
 * mutations of them (missing, null, mistyped, over-long, duplicated and unknown fields, NUL, lone and
 * paired surrogates, bad times and enums, trailing text, not JSON at all).
 */
@DisplayName("Import lines read streamed, as fromCreate reads them")
class CreateLinesTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678901Z");

  private static final List<String> FIELDS = List.of("id", "created_at", "updated_at", "last_seen_at",
      "device", "device.id", "device.name", "device.client_version", "key", "key_type", "tunnel_type",
      "user", "user.id", "user.email", "user.name", "policy", "policy.id", "policy.default",
      "policy.deleted", "policy.name", "policy.updated_at", "revoked_at", "deleted_at",
      "registration_type", "extra", "device.extra");

  private static final List<Object> VALUES = List.of("", "x", "a b", "bad id!", "2025-03-01T12:00:00Z",
      "2025-03-01T12:00:00.123456789Z", "2025-03-01T14:00:00+02:00", "2025-02-30T00:00:00Z",
      "0000-12-31T23:59:59Z", "9999-12-31T23:59:59.999999Z", "curve25519", "secp256r1", "wireguard",
      "masque", "warp", "browser_extension", "WARP", "nul\u0000inside", "pair \uD83D\uDE00", "lone \uD83D",
      "x".repeat(1025), "k".repeat(4097), "é ü 東京", 0, -1, 12345678901234567890.0, true, false,
      new JsonObject(), new JsonObject().put("id", "p").put("name", "n"), new JsonArray().add(1));

  @Test
  @DisplayName("valid lines are read streamed, into the registration fromCreate makes")
  void validLinesTakeTheStreamedWay() {
    List<Registration> all = Fixtures.varied("cl", 2000, 21);
    for (Registration r : all) {
      String line = RegistrationJson.toJson(r, true).encode();
      Registration streamed = CreateLines.streamed(line, NOW);
      assertThat(streamed).as(line).isNotNull().isEqualTo(fromCreate(line));
      assertThat(streamed).isEqualTo(r);
    }
    // The least a line may say: times default to now, the id is made.
    String minimal = "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}";
    Registration r = CreateLines.streamed(minimal, NOW);
    assertThat(r).isNotNull();
    assertThat(r.createdAt()).isEqualTo(NOW);
    assertThat(r.id()).hasSize(36);
    assertThat(r).usingRecursiveComparison().ignoringFields("id").isEqualTo(fromCreate(minimal));
  }

  @Test
  @DisplayName("every mutated line gives the same registration or the same error as fromCreate")
  void mutatedLinesDecideAlike() {
    Random rnd = new Random(42);
    List<Registration> all = Fixtures.varied("cm", 300, 22);
    int streamed = 0;
    int errors = 0;
    int cases = 0;
    for (int i = 0; i < 12_000; i++) {
      JsonObject json = RegistrationJson.toJson(all.get(rnd.nextInt(all.size())), rnd.nextBoolean());
      int changes = 1 + rnd.nextInt(3);
      for (int c = 0; c < changes; c++) {
        mutate(json, FIELDS.get(rnd.nextInt(FIELDS.size())), rnd);
      }
      boolean madeId = json.getValue("id") == null;
      String line = textOf(json, rnd);
      cases++;
      Object expected = outcome(() -> fromCreate(line));
      Object actual = outcome(() -> CreateLines.read(line, NOW));
      if (expected instanceof Registration e && actual instanceof Registration a && madeId) {
        // made ids differ from run to run
        assertThat(a).as(line).usingRecursiveComparison().ignoringFields("id").isEqualTo(e);
      } else {
        assertThat(actual).as(line).isEqualTo(expected);
      }
      if (expected instanceof String) {
        errors++;
      }
      if (CreateLines.streamed(line, NOW) != null) {
        streamed++;
        assertThat(expected).as(line).isInstanceOf(Registration.class);
      }
    }
    System.out.printf("%d mutated lines: %d errors, %d read streamed, the rest by fromCreate%n", cases,
        errors, streamed);
    assertThat(errors).isGreaterThan(cases / 4);
    assertThat(streamed).isGreaterThan(cases / 10);
  }

  private static void mutate(JsonObject json, String path, Random rnd) {
    JsonObject target = json;
    String field = path;
    int dot = path.indexOf('.');
    if (dot > 0) {
      Object parent = json.getValue(path.substring(0, dot));
      if (!(parent instanceof JsonObject p)) {
        return;
      }
      target = p;
      field = path.substring(dot + 1);
    }
    switch (rnd.nextInt(4)) {
      case 0 -> target.remove(field);
      case 1 -> target.putNull(field);
      default -> {
        Object v = VALUES.get(rnd.nextInt(VALUES.size()));
        target.put(field, v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v);
      }
    }
  }

  /** The object's text, sometimes with a duplicated field, trailing text, or cut short. */
  private static String textOf(JsonObject json, Random rnd) {
    String text = json.encode();
    return switch (rnd.nextInt(12)) {
      case 0 -> text.substring(0, text.length() - 1) + ",\"key\":\"again\"}";
      case 1 -> text.substring(0, text.length() - 1) + ",\"device\":{\"id\":\"d2\",\"name\":\"n2\"}}";
      case 2 -> text + " {}";
      case 3 -> text.substring(0, rnd.nextInt(text.length()));
      case 4 -> "[" + text + "]";
      case 5 -> " \t" + text + " ";
      default -> text;
    };
  }

  private static Registration fromCreate(String line) {
    return RegistrationJson.fromCreate(new JsonObject(line), NOW);
  }

  /** The registration, or the error's class and message. */
  private static Object outcome(java.util.function.Supplier<Registration> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }
}
