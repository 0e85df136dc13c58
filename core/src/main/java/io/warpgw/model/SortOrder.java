package io.warpgw.model;

public enum SortOrder {
  ASC,
  DESC;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
