package io.warpgw.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Position;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cursors")
class CursorCodecTest {
  private final CursorCodec codec = new CursorCodec("secret".getBytes(StandardCharsets.UTF_8));

  @Test
  @DisplayName("round-trip a position, null keys and non-ASCII included, and are URL-safe")
  void roundTrip() {
    for (Position p : new Position[] {new Position(null, "id-1"), new Position("Zoë \uD83D\uDE00", "x"),
        new Position("1740830400000000", "y")}) {
      String c = codec.encode("acct", "fp", p);
      assertThat(c).matches("[A-Za-z0-9_.-]+");
      assertThat(codec.decode(c, "acct", "fp")).isEqualTo(p);
    }
  }

  @Test
  @DisplayName("are accepted by another gateway with the same secret only")
  void sharedSecret() {
    String c = codec.encode("acct", "fp", new Position("k", "id"));
    assertThat(new CursorCodec("secret".getBytes(StandardCharsets.UTF_8)).decode(c, "acct", "fp").id()).isEqualTo("id");
    assertThatThrownBy(() -> new CursorCodec("other".getBytes(StandardCharsets.UTF_8)).decode(c, "acct", "fp"))
        .isInstanceOf(GatewayException.class).extracting(e -> ((GatewayException) e).error()).isEqualTo(ApiError.INVALID_CURSOR);
  }

  @Test
  @DisplayName("reject another account, other filters, and any change to a byte")
  void tamper() {
    String c = codec.encode("acct", "fp", new Position("k", "id"));
    assertThatThrownBy(() -> codec.decode(c, "other", "fp")).hasMessageContaining("another account");
    assertThatThrownBy(() -> codec.decode(c, "acct", "fp2")).hasMessageContaining("other filters");
    for (int i = 0; i < c.length(); i++) {
      char[] chars = c.toCharArray();
      for (char replacement : new char[] {'A', 'B', 'Q', 'w', '-', '_'}) {
        chars[i] = replacement;
        String changed = new String(chars);
        if (!changed.equals(c)) {
          assertThatThrownBy(() -> codec.decode(changed, "acct", "fp")).isInstanceOf(GatewayException.class);
        }
      }
    }
    assertThatThrownBy(() -> codec.decode("", "acct", "fp")).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> codec.decode("...", "acct", "fp")).isInstanceOf(GatewayException.class);
  }
}
