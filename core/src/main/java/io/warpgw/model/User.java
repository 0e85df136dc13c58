package io.warpgw.model;

/** The user of a registration; every field may be null. */
public record User(String id, String email, String name) {}
