package io.warpgw.http;

import io.vertx.ext.web.RoutingContext;
import io.warpgw.auth.Authenticator;
import io.warpgw.auth.Credential;
import io.warpgw.auth.Permission;
import io.warpgw.model.Identifiers;

/** Who is calling and whether they may do this to this account; in API.md's order 401, 400, 403. */
final class Access {
  private final Authenticator authenticator;
  private final RateLimiter rateLimiter;

  /** @param rateLimiter null when no limit is configured */
  Access(Authenticator authenticator, RateLimiter rateLimiter) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
  }

  /** @return the account id of the path, once the caller is allowed {@code needed} on it */
  String account(RoutingContext ctx, Permission needed) {
    Credential credential = authenticator.authenticate(ctx.request().headers());
    ctx.put(Routes.CREDENTIAL_KEY, credential.name());
    if (rateLimiter != null) {
      rateLimiter.acquire(credential.name(), ctx.response());
    }
    String account = Identifiers.require("account_id", ctx.pathParam("account_id"));
    Authenticator.authorize(credential, account, needed);
    return account;
  }

  /** For /__admin: any account, admin permission. */
  void admin(RoutingContext ctx) {
    Credential credential = authenticator.authenticate(ctx.request().headers());
    ctx.put(Routes.CREDENTIAL_KEY, credential.name());
    if (credential.permission() != Permission.ADMIN) {
      throw new io.warpgw.error.GatewayException(io.warpgw.error.ApiError.FORBIDDEN, "the credential '"
          + credential.name() + "' may not use /__admin; that needs a token with admin permission");
    }
  }

  static String registrationId(RoutingContext ctx) {
    return Identifiers.require("registration_id", ctx.pathParam("registration_id"));
  }
}
