package io.warpgw.auth;

/** What a credential may do: Cloudflare's Zero Trust Read and Zero Trust Write. */
public enum Permission {
  READ,
  WRITE;

  public boolean covers(Permission needed) {
    return this == WRITE || needed == READ;
  }

  public static Permission fromConfig(String value) {
    return switch (value == null ? "" : value) {
      case "read" -> READ;
      case "write" -> WRITE;
      default -> null;
    };
  }
}
