package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.auth.Authenticator;
import io.warpgw.auth.Credential;
import io.warpgw.auth.Permission;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Identifiers;

/** Who is calling and whether they may do this to this account; in API.md's order 401, 400, 403. */
final class Access {
  private static final String CREDENTIAL = "gateway.credential-object";
  private final Authenticator authenticator;
  private final RateLimiter rateLimiter;

  /** @param rateLimiter null when no limit is configured */
  Access(Authenticator authenticator, RateLimiter rateLimiter) {
    this.authenticator = authenticator;
    this.rateLimiter = rateLimiter;
  }

  /**
   * Counts the request against its credential's rate limit; fails with RATE_LIMITED past it. A request
   * without valid credentials passes here and gets its 401 from {@link #account}, in its usual place.
   */
  Future<Void> limit(RoutingContext ctx) {
    if (rateLimiter == null) {
      return Future.succeededFuture();
    }
    Credential credential;
    try {
      credential = credential(ctx);
    } catch (GatewayException unauthenticated) {
      return Future.succeededFuture();
    }
    return rateLimiter.acquire(credential.name(), ctx.response());
  }

  /** @return the account id of the path, once the caller is allowed {@code needed} on it */
  String account(RoutingContext ctx, Permission needed) {
    Credential credential = credential(ctx);
    String account = Identifiers.require("account_id", ctx.pathParam("account_id"));
    Authenticator.authorize(credential, account, needed);
    return account;
  }

  /** For /__admin: any account, admin permission. */
  void admin(RoutingContext ctx) {
    Credential credential = credential(ctx);
    if (credential.permission() != Permission.ADMIN) {
      throw new GatewayException(io.warpgw.error.ApiError.FORBIDDEN, "the credential '"
          + credential.name() + "' may not use /__admin; that needs a token with admin permission");
    }
  }

  /** The request's credential, authenticated once per request (the limiter and the handler both ask). */
  private Credential credential(RoutingContext ctx) {
    Credential known = ctx.get(CREDENTIAL);
    if (known != null) {
      return known;
    }
    Credential credential = authenticator.authenticate(ctx.request().headers());
    ctx.put(CREDENTIAL, credential);
    ctx.put(Routes.CREDENTIAL_KEY, credential.name());
    return credential;
  }

  static String registrationId(RoutingContext ctx) {
    return Identifiers.require("registration_id", ctx.pathParam("registration_id"));
  }
}
