package io.warpgw.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RaceOp.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The race oracle on small hand-made histories: it accepts what some serial order explains, and nothing else. */
@DisplayName("The race oracle")
class RaceOracleTest {
  private static final String A = "r-00";
  private static final String B = "r-01";

  /** A 404 names the request's last id as the missing one. */
  private static RaceOp op(Kind kind, List<String> ids, long from, long to, int status) {
    String message = status == 404 ? "registrations not found in this account: " + ids.get(ids.size() - 1) : null;
    return new RaceOp(kind, ids, "t" + from, "", from, to, status, status == 404 ? 1004 : 0, message, null, null, null);
  }

  private static RaceOp patch(String id, String tag, long from, long to, int status) {
    JsonObject result = status == 200 ? record(id, false, "k-" + tag, "n-" + tag) : null;
    return new RaceOp(Kind.PATCH, List.of(id), tag, "", from, to, status, status == 404 ? 1004 : 0, null, result, null, null);
  }

  private static RaceOp get(JsonObject shown, long from, long to) {
    return new RaceOp(Kind.GET, List.of(shown.getString("id")), "g", "", from, to, 200, 0, null, shown, null, null);
  }

  private static RaceOp list(long from, long to, JsonObject... shown) {
    return new RaceOp(Kind.LIST, List.of(), "l", "status=all", from, to, 200, 0, null, null, new JsonArray(List.of((Object[]) shown)), "");
  }

  private static JsonObject record(String id, boolean revoked, String key, String name) {
    return new JsonObject().put("id", id).put("revoked_at", revoked ? "2030-01-01T00:00:00Z" : null).put("key", key)
        .put("device", new JsonObject().put("id", "d").put("name", name));
  }

  private static JsonObject initial(String id, boolean revoked) {
    return record(id, revoked, "key-" + id, "Device " + id);
  }

  private static List<String> judge(Map<String, JsonObject> end, RaceOp... ops) {
    Map<String, String> keys = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (String id : end.keySet()) {
      keys.put(id, "key-" + id);
      names.put(id, "Device " + id);
    }
    return new RaceOracle(List.of(ops)).check(end, keys, names);
  }

  private static Map<String, JsonObject> state(JsonObject a, JsonObject b) {
    Map<String, JsonObject> m = new HashMap<>();
    m.put(A, a);
    m.put(B, b);
    return m;
  }

  @Test
  @DisplayName("a history some serial order explains passes: overlapping writes may land either way")
  void explained() {
    assertThat(judge(state(initial(A, true), null),
        op(Kind.REVOKE, List.of(A, B), 0, 10, 200),
        op(Kind.UNREVOKE, List.of(A), 5, 15, 200),       // overlaps the revoke: may be first
        op(Kind.DELETE, List.of(B), 20, 30, 200),
        op(Kind.REVOKE, List.of(A, B), 25, 40, 404),     // B gone by then: nothing changed
        op(Kind.DELETE, List.of(B), 50, 60, 404),
        get(initial(A, true), 16, 18),
        op(Kind.UNREVOKE, List.of(A), 70, 80, 503)))     // undecided: may not have applied
        .isEmpty();
  }

  @Test
  @DisplayName("deleted twice with 200, or back after an acknowledged delete")
  void deletedTwice() {
    assertThat(judge(state(initial(A, false), null),
        op(Kind.DELETE, List.of(B), 0, 10, 200), op(Kind.BULK_DELETE, List.of(B, A), 20, 30, 200)))
        .anySatisfy(v -> assertThat(v).contains("deleted twice"))
        .anySatisfy(v -> assertThat(v).contains("survived an acknowledged bulk delete"));
  }

  @Test
  @DisplayName("gone with only a 404 bulk delete naming it: the all-or-nothing rule was broken")
  void bulkDeleteAnswered404ChangedSomething() {
    RaceOp bulk = new RaceOp(Kind.BULK_DELETE, List.of(A, B), "x", "", 0, 10, 404, 1004,
        "registrations not found in this account: r-01", null, null, null);
    assertThat(judge(state(null, null), op(Kind.DELETE, List.of(B), 0, 5, 200), bulk))
        .anySatisfy(v -> assertThat(v).startsWith("r-00 is gone, but no delete"));
  }

  @Test
  @DisplayName("seen after its delete was answered, or reported missing before its delete began")
  void noInstantForTheDelete() {
    assertThat(judge(state(initial(A, false), null),
        op(Kind.DELETE, List.of(B), 10, 20, 200), get(initial(B, false), 30, 40)))
        .anySatisfy(v -> assertThat(v).contains("no instant for its delete"));
    assertThat(judge(state(initial(A, false), null),
        op(Kind.REVOKE, List.of(A, B), 0, 5, 404), op(Kind.DELETE, List.of(B), 10, 20, 200)))
        .anySatisfy(v -> assertThat(v).contains("no instant for its delete"));
    assertThat(judge(state(initial(A, false), initial(B, false)), op(Kind.PATCH, List.of(B), 0, 5, 404)))
        .anySatisfy(v -> assertThat(v).contains("reported missing"));
  }

  @Test
  @DisplayName("a final state an acknowledged later write overwrote, or one no write made")
  void lostWrite() {
    assertThat(judge(state(initial(A, true), initial(B, false)),
        op(Kind.REVOKE, List.of(A), 0, 10, 200), op(Kind.UNREVOKE, List.of(A), 20, 30, 200)))
        .anySatisfy(v -> assertThat(v).contains("r-00: its revoked state ends as true"));
    assertThat(judge(state(initial(A, true), initial(B, false)), op(Kind.REVOKE, List.of(A, B), 0, 10, 404)))
        .anySatisfy(v -> assertThat(v).contains("r-00: its revoked state ends as true"));
    assertThat(judge(state(record(A, false, "k-p1", "n-p1"), initial(B, false)),
        patch(A, "p1", 0, 10, 200), patch(A, "p2", 20, 30, 200)))
        .anySatisfy(v -> assertThat(v).contains("key and device name ends as k-p1|n-p1"));
    assertThat(judge(state(record(A, false, "k-p1", "n-p1"), initial(B, false)), patch(A, "p1", 0, 10, 404)))
        .isNotEmpty();
  }

  @Test
  @DisplayName("a stale read: older than a write acknowledged before the read began")
  void staleRead() {
    assertThat(judge(state(initial(A, true), initial(B, false)),
        op(Kind.REVOKE, List.of(A), 0, 10, 200), list(20, 30, initial(A, false), initial(B, false))))
        .anySatisfy(v -> assertThat(v).contains("read revoked state false"));
    assertThat(judge(state(initial(A, true), initial(B, false)),
        op(Kind.REVOKE, List.of(A), 0, 10, 200), list(5, 30, initial(A, false))))
        .isEmpty();
  }

  @Test
  @DisplayName("a torn PATCH, a 404 naming none of its ids, an answer no race explains")
  void badAnswers() {
    RaceOp vague = new RaceOp(Kind.REVOKE, List.of(A, B), "v", "", 0, 10, 404, 1004, "not found", null, null, null);
    assertThat(judge(state(record(A, false, "k-p1", "n-p2"), initial(B, false)),
        patch(A, "p1", 0, 10, 200), patch(A, "p2", 0, 10, 200), vague, op(Kind.GET, List.of(A), 0, 1, 500)))
        .anySatisfy(v -> assertThat(v).contains("ends as k-p1|n-p2"))
        .anySatisfy(v -> assertThat(v).contains("names none"))
        .anySatisfy(v -> assertThat(v).contains("no race can cause"));
  }
}
