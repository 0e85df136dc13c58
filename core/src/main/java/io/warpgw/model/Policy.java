package io.warpgw.model;

import java.time.Instant;

/** The device settings profile a registration is under; shown only with {@code include=policy}. */
public record Policy(String id, boolean isDefault, boolean deleted, String name, Instant updatedAt) {}
