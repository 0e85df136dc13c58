package io.warpgw.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Registration;
import io.warpgw.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Streamed JSON bodies")
class JsonBodiesTest {
  @Test
  @DisplayName("are byte for byte the envelope of RegistrationJson.toJson, with and without policies")
  void sameBytes() {
    List<Registration> rs = Fixtures.varied("j", 200, 3);
    for (boolean policy : new boolean[] {false, true}) {
      JsonArray items = new JsonArray();
      rs.forEach(r -> items.add(RegistrationJson.toJson(r, policy)));
      JsonObject page = envelope(items).put("result_info",
          new JsonObject().put("count", rs.size()).put("per_page", 1000).put("cursor", "c\u00e9"));
      assertSameText(JsonBodies.page(rs, policy, 1000, "c\u00e9").toString(), page.encode());
      for (Registration r : rs) {
        assertSameText(JsonBodies.one(r, policy).toString(), envelope(RegistrationJson.toJson(r, policy)).encode());
      }
    }
  }

  /** Reports only where the texts part, not both whole texts. */
  private static void assertSameText(String actual, String expected) {
    int i = 0;
    while (i < Math.min(actual.length(), expected.length()) && actual.charAt(i) == expected.charAt(i)) {
      i++;
    }
    if (i < actual.length() || i < expected.length()) {
      int from = Math.max(0, i - 40);
      throw new AssertionError("differ at " + i + ": actual …" + actual.substring(from, Math.min(actual.length(), i + 40))
          + "… expected …" + expected.substring(from, Math.min(expected.length(), i + 40)) + "…");
    }
  }

  private static JsonObject envelope(Object result) {
    return new JsonObject().put("success", true).put("errors", new JsonArray()).put("messages", new JsonArray())
        .put("result", result);
  }
}
