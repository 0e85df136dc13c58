package io.warpgw.auth;

/** What a credential may do: Cloudflare's Zero Trust Read and Zero Trust Write. */
public enum Permission {
  READ,
  WRITE,
  /** Everything, plus /__admin (the journal, fault rules, resets). Not a Cloudflare permission. */
  ADMIN;

  public boolean covers(Permission needed) {
    return this == ADMIN || this == WRITE && needed != ADMIN || needed == READ;
  }

  public static Permission fromConfig(String value) {
    return switch (value == null ? "" : value) {
      case "read" -> READ;
      case "write" -> WRITE;
      case "admin" -> ADMIN;
      default -> null;
    };
  }
}
