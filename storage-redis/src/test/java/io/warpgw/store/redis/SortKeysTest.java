package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sort index members")
class SortKeysTest {
  @Test
  @DisplayName("give back the position and the id they were made from, for every sort")
  void positionAndIdFromMember() {
    for (Registration r : new RandomRegistrations(31).make(500)) {
      for (SortField sort : SortField.values()) {
        Position p = Position.of(sort, r);
        String member = SortKeys.member(sort, p);
        assertThat(SortKeys.position(sort, member)).as("%s %s", sort, r).isEqualTo(p);
        assertThat(SortKeys.idOf(sort, member)).isEqualTo(r.id());
      }
    }
  }
}
