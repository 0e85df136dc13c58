package io.warpgw.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import io.warpgw.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A page of stored items")
class StoredItemsTest {
  private static final List<String> TEXTS = List.of("", "a", "a b", "Zoë", "\u00e9", "\uffff",
      "\ud83d\ude00", "\u4e2d\u6587", "\uE000", "~", "a/b+c=", "\u007f", "\u2028", "q\"uote", "back\\slash",
      "tab\t", "a\u0001", "a\u001fb", "<&>'");
  private static final List<Instant> TIMES = List.of(
      Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
      Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:00:00.123Z"),
      Instant.parse("2025-03-01T12:00:00.123456Z"), Instant.parse("2025-03-01T12:00:00.000001Z"),
      Instant.parse("2255-06-05T23:47:34.740992Z"), Instant.parse("9999-12-31T23:59:59.999999Z"));

  @Test
  @DisplayName("is the same bytes as the page of the registrations they hold, with and without policies")
  void sameBytes() {
    List<Registration> all = new ArrayList<>(Fixtures.varied("s", 300, 21));
    Random rnd = new Random(22);
    for (int i = 0; i < 500; i++) {
      all.add(random(rnd, "r" + i));
    }
    for (int from = 0; from < all.size(); from += 37) {
      List<Registration> regs = all.subList(from, Math.min(all.size(), from + 37));
      StoredItems items = stored(regs, UnaryOperator.identity());
      assertThat(items).isEqualTo(regs);
      for (boolean includePolicy : new boolean[] {true, false}) {
        String cursor = from % 2 == 0 ? "" : "c\"ursor-" + from;
        assertThat(JsonBodies.page(stored(regs, UnaryOperator.identity()), includePolicy, 50, cursor))
            .isEqualTo(JsonBodies.page(regs, includePolicy, 50, cursor));
      }
    }
  }

  @Test
  @DisplayName("copies the stored bytes of the usual form instead of decoding them")
  void copiesTheUsualForm() {
    for (Registration r : Fixtures.varied("c", 200, 23)) {
      StoredItems items = stored(List.of(r), UnaryOperator.identity());
      Buffer out = Buffer.buffer();
      assertThat(items.copy(0, true, out)).isTrue();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo(RegistrationJson.toJson(r, true).encode());
    }
  }

  @Test
  @DisplayName("decodes records in any other form, and writes the same bytes as before")
  void otherForms() {
    Registration r = Fixtures.simple("u1");
    List<UnaryOperator<String>> changes = List.of(
        j -> j.replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"2025-03-01T14:00:00+02:00\""),
        j -> j.replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"2025-03-01T12:00:00.000Z\""),
        j -> j.replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"2025-03-01T12:00:00.100000Z\""),
        j -> j.replace("\"key\":\"key-u1\"", "\"key\":\"key-\\u0075\\/1\""),
        j -> j.replace("{\"id\":", "{ \"id\":"),
        j -> j.replace("\"user\":{", "\"extra\":1,\"user\":{"),
        j -> j.replace("\"user\":{\"id\":\"user-u1\",", "\"user\":{\"id\":null,\"email\":null,\"name\":null},\"x\":{"),
        j -> j.replace("\"default\":true", "\"default\":null"),
        j -> j.replace("\"registration_type\":\"warp\"", "\"registration_type\":null"),
        j -> j.replace(",\"registration_type\":\"warp\"", ""),
        j -> j.substring(0, j.length() - 1) + ",\"deleted_at\":null}",
        j -> j.replace("\"device\":{\"id\":\"dev-u1\",\"name\":\"Device u1\"",
            "\"device\":{\"name\":\"Device u1\",\"id\":\"dev-u1\""));
    for (UnaryOperator<String> change : changes) {
      String json = change.apply(stripped(r));
      assertThat(json).as("the change applies").isNotEqualTo(stripped(r));
      Registration decoded = stored(List.of(r), change).get(0);
      assertThat(JsonBodies.page(stored(List.of(r), change), true, 50, ""))
          .as(json).isEqualTo(JsonBodies.page(List.of(decoded), true, 50, ""));
    }
    // an escape or a time in another form is not copied
    Buffer out = Buffer.buffer();
    assertThat(stored(List.of(r), changes.get(0)).copy(0, true, out)).isFalse();
    assertThat(stored(List.of(r), changes.get(3)).copy(0, true, out)).isFalse();
    assertThat(out.length()).isZero();
  }

  @Test
  @DisplayName("recognise only the text Timestamps.format writes")
  void formattedTimes() {
    Random rnd = new Random(24);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(rnd.nextLong(-62_135_596_800L, 253_402_300_800L),
          rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(2) == 0 ? rnd.nextInt(1000) * 1_000_000 : rnd.nextInt(1_000_000) * 1000);
      byte[] text = Timestamps.format(t).getBytes(StandardCharsets.US_ASCII);
      assertThat(Timestamps.isFormatted(text, 0, text.length)).as(Timestamps.format(t)).isTrue();
    }
    for (String other : List.of("2025-02-29T00:00:00Z", "2025-03-01T24:00:00Z", "0000-03-01T00:00:00Z",
        "2025-03-01T12:00:00.000Z", "2025-03-01T12:00:00.120000Z", "2025-03-01t12:00:00Z",
        "2025-03-01T12:00:00.12Z", "2025-03-01T12:00:60Z", "2025-13-01T12:00:00Z", "2025-03-01T12:00:00+00:00")) {
      byte[] text = other.getBytes(StandardCharsets.US_ASCII);
      assertThat(Timestamps.isFormatted(text, 0, text.length)).as(other).isFalse();
    }
  }

  private static Registration random(Random rnd, String id) {
    User user = rnd.nextInt(5) == 0 ? null : new User(
        rnd.nextInt(4) == 0 ? null : pick(rnd, TEXTS), rnd.nextInt(3) == 0 ? null : pick(rnd, TEXTS),
        rnd.nextInt(3) == 0 ? null : pick(rnd, TEXTS));
    if (user != null && user.id() == null && user.email() == null && user.name() == null) {
      user = null;
    }
    Policy policy = rnd.nextInt(3) == 0 ? null : new Policy("p" + pick(rnd, TEXTS), rnd.nextBoolean(),
        rnd.nextBoolean(), rnd.nextInt(4) == 0 ? null : pick(rnd, TEXTS),
        rnd.nextInt(4) == 0 ? null : pick(rnd, TIMES));
    return new Registration(id + pick(rnd, TEXTS), pick(rnd, TIMES), pick(rnd, TIMES), pick(rnd, TIMES),
        new Device("d" + pick(rnd, TEXTS), "n" + pick(rnd, TEXTS), rnd.nextBoolean() ? null : pick(rnd, TEXTS)),
        "k" + pick(rnd, TEXTS), rnd.nextBoolean() ? null : pick(rnd, TEXTS),
        rnd.nextBoolean() ? null : pick(rnd, TEXTS), user, policy,
        rnd.nextBoolean() ? null : pick(rnd, TIMES),
        rnd.nextBoolean() ? RegistrationType.WARP : RegistrationType.BROWSER_EXTENSION);
  }

  private static <T> T pick(Random rnd, List<T> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  /** The JSON as a store that keeps updated_at and revoked_at apart holds it. */
  private static String stripped(Registration r) {
    JsonObject json = RegistrationJson.toJson(r, true);
    json.remove("updated_at");
    json.remove("revoked_at");
    json.remove("deleted_at");
    return json.encode();
  }

  /** The items stored as JSON NUL updated_at NUL revoked_at NUL more, each after some other bytes. */
  private static StoredItems stored(List<Registration> regs, UnaryOperator<String> change) {
    StoredItems.Builder b = new StoredItems.Builder(1);
    for (Registration r : regs) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] lead = "lead".getBytes(StandardCharsets.US_ASCII);
      byte[] json = change.apply(stripped(r)).getBytes(StandardCharsets.UTF_8);
      byte[] updated = Timestamps.format(r.updatedAt()).getBytes(StandardCharsets.US_ASCII);
      byte[] revoked = r.revokedAt() == null ? new byte[0]
          : Timestamps.format(r.revokedAt()).getBytes(StandardCharsets.US_ASCII);
      bytes.writeBytes(lead);
      bytes.writeBytes(json);
      bytes.write(0);
      bytes.writeBytes(updated);
      bytes.write(0);
      bytes.writeBytes(revoked);
      bytes.write(0);
      bytes.writeBytes("more".getBytes(StandardCharsets.US_ASCII));
      int u = lead.length + json.length + 1;
      b.add(bytes.toByteArray(), lead.length, json.length, u, updated.length, u + updated.length + 1, revoked.length);
    }
    return b.build(regs.size());
  }
}
