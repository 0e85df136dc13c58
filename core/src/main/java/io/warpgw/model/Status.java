package io.warpgw.model;

/** The {@code status} list filter. */
public enum Status {
  ACTIVE,
  REVOKED,
  ALL;

  public boolean admits(Registration r) {
    return switch (this) {
      case ACTIVE -> !r.revoked();
      case REVOKED -> r.revoked();
      case ALL -> true;
    };
  }

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
