package io.warpgw.model;

public enum RegistrationType {
  WARP("warp"),
  BROWSER_EXTENSION("browser_extension");

  private final String wire;

  RegistrationType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** @return the type, or null when {@code value} is not one of the wire names */
  public static RegistrationType fromWire(String value) {
    for (RegistrationType t : values()) {
      if (t.wire.equals(value)) {
        return t;
      }
    }
    return null;
  }
}
