package io.warpgw.model;

/** The device a registration belongs to; {@code clientVersion} may be null. */
public record Device(String id, String name, String clientVersion) {}
