package io.warpgw.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpgw.cursor.CursorCodec;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Parsing a list request")
class ListRequestTest {
  private final CursorCodec codec = new CursorCodec(new byte[] {1, 2, 3});

  private RegistrationQuery parse(String query) {
    return ListRequest.parse(QueryParams.parse("/x?" + query), "acct", codec).query();
  }

  @Test
  @DisplayName("defaults: 20 per page, active, by created_at ascending")
  void defaults() {
    RegistrationQuery q = parse("");
    assertThat(q.perPage()).isEqualTo(20);
    assertThat(q.status()).isEqualTo(Status.ACTIVE);
    assertThat(q.sortBy()).isEqualTo(SortField.CREATED_AT);
    assertThat(q.sortOrder()).isEqualTo(SortOrder.ASC);
    assertThat(q.after()).isNull();
  }

  @Test
  @DisplayName("reads repeated, dotted and bracketed filters alike; empty values count as absent")
  void filters() {
    RegistrationQuery q = parse("id=a&id[]=b&user[id]=u1&user.id[]=u2&device[id]=d&policy.id=p&search=Zo%C3%AB"
        + "&seen_after=2025-03-01T12:00:00.0000005Z&seen_before=2025-03-01T12:00:00.0000005Z&status=all"
        + "&sort_by=user.email&sort_order=desc&per_page=1000&cursor=&unknown=1");
    assertThat(q.ids()).containsExactlyInAnyOrder("a", "b");
    assertThat(q.userIds()).containsExactlyInAnyOrder("u1", "u2");
    assertThat(q.deviceId()).isEqualTo("d");
    assertThat(q.policyId()).isEqualTo("p");
    assertThat(q.search()).isEqualTo("zoë");
    assertThat(q.seenAfter()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
    assertThat(q.seenBefore()).isEqualTo(Instant.parse("2025-03-01T12:00:00.000001Z"));
    assertThat(q.perPage()).isEqualTo(1000);
    assertThat(q.sortBy()).isEqualTo(SortField.USER_EMAIL);
  }

  @Test
  @DisplayName("keeps '+' and ';' as the SDK percent-encodes them, and reports broken percent-encoding")
  void encoding() {
    assertThat(parse("search=a%2Bb%3Bc").search()).isEqualTo("a+b;c");
    assertThat(parse("search=a;b").search()).isEqualTo("a;b");
    assertThatThrownBy(() -> parse("search=%ZZ")).hasMessageContaining("percent");
  }

  @Test
  @DisplayName("ties a cursor to its filters and sort, not to its page size")
  void fingerprint() {
    RegistrationQuery a = parse("status=all&sort_by=id&per_page=5&id=b&id=a");
    RegistrationQuery b = parse("id=a&per_page=50&id=b&status=all&sort_by=id");
    assertThat(ListRequest.fingerprint(a)).isEqualTo(ListRequest.fingerprint(b));
    assertThat(ListRequest.fingerprint(parse("status=all&sort_by=id")))
        .isNotEqualTo(ListRequest.fingerprint(parse("status=all&sort_by=id&sort_order=desc")));
  }
}
