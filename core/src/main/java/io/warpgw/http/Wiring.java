package io.warpgw.http;

import io.warpgw.admin.Faults;
import io.warpgw.admin.RequestJournal;
import io.warpgw.auth.Authenticator;
import io.warpgw.cursor.CursorCodec;
import io.warpgw.metrics.GatewayMetrics;
import io.warpgw.spi.RegistrationStore;
import java.time.Clock;

/**
 * What every router instance shares: one per gateway, handed to each verticle.
 *
 * @param rateLimiter null when no limit is configured
 */
public record Wiring(String basePath, int maxBodySize, RegistrationStore store, String storeName,
    Authenticator authenticator, RateLimiter rateLimiter, CursorCodec cursors, GatewayMetrics metrics,
    RequestJournal journal, Faults faults, Clock clock) {}
