package io.warpgw.auth;

import java.util.Set;

/**
 * A configured API token or legacy key. Only the SHA-256 of the secret is kept.
 *
 * @param email the X-Auth-Email of a legacy key; null for bearer tokens
 * @param accounts the account ids it may touch; {@code *} means all
 */
public record Credential(String name, String email, byte[] sha256, Set<String> accounts,
    Permission permission) {

  public boolean mayTouch(String accountId) {
    return accounts.contains("*") || accounts.contains(accountId);
  }

  @Override
  public String toString() {
    return "Credential[" + name + "]";
  }
}
