package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlotRouterTest {
  @Test
  @DisplayName("a key's slot is Redis's: CRC16/XMODEM mod 16384, of the hash tag when there is one")
  void slot() {
    // CRC16/XMODEM's check value: "123456789" -> 0x31C3.
    assertThat(SlotRouter.slot("123456789")).isEqualTo(0x31C3);
    assertThat(SlotRouter.slot("warpgw:{acme}:r:r1")).isEqualTo(SlotRouter.slot("acme"));
    assertThat(SlotRouter.slot("p:{acme}")).isEqualTo(SlotRouter.slot("x{acme}y{other}"));
    // An empty tag is no tag: the whole key hashes.
    assertThat(SlotRouter.slot("a{}b")).isEqualTo(Masters.slot("a{}b"));
    assertThat(SlotRouter.slot("a{b")).isEqualTo(Masters.slot("a{b"));
  }
}
