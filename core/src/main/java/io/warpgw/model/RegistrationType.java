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
    return value == null ? null : BY_WIRE.get(value);
  }

  // A map rather than a loop over values(), which copies the array: every stored record is read
  // through here.
  private static final java.util.Map<String, RegistrationType> BY_WIRE = java.util.Arrays.stream(values())
      .collect(java.util.stream.Collectors.toUnmodifiableMap(RegistrationType::wire, t -> t));
}
