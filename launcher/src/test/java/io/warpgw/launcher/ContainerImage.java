package io.warpgw.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A container image as {@code jib:buildTar} writes it, in {@code docker save} format: manifest.json,
 * the config JSON it names and one gzipped tar per layer, unpacked into a directory to be read back.
 */
final class ContainerImage {
  /** A file or directory of a layer, under its path without a leading slash (directories end with '/'). */
  record Entry(String layer, int mode, long size, boolean directory, int uid, int gid) {}

  private final JsonObject manifest;
  private final JsonObject config;
  private final List<Path> layers;
  private Map<String, Entry> entries;

  private ContainerImage(JsonObject manifest, JsonObject config, List<Path> layers) {
    this.manifest = manifest;
    this.config = config;
    this.layers = layers;
  }

  static ContainerImage unpack(Path tarball, Path dir) throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isFile()) {
          Path target = dir.resolve(e.getName()).normalize();
          if (!target.startsWith(dir)) {
            throw new IOException("entry outside the image: " + e.getName());
          }
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
    JsonArray manifests = new JsonArray(Files.readString(dir.resolve("manifest.json")));
    if (manifests.size() != 1) {
      throw new IOException("expected one image in " + tarball + ", found " + manifests.size());
    }
    JsonObject manifest = manifests.getJsonObject(0);
    JsonObject config = new JsonObject(Files.readString(dir.resolve(manifest.getString("Config"))));
    List<Path> layers = new ArrayList<>();
    for (Object layer : manifest.getJsonArray("Layers")) {
      layers.add(dir.resolve((String) layer));
    }
    return new ContainerImage(manifest, config, layers);
  }

  JsonObject manifest() {
    return manifest;
  }

  /** The whole config JSON: architecture, os, rootfs.diff_ids, and under "config" the run settings. */
  JsonObject config() {
    return config;
  }

  JsonObject runConfig() {
    return config.getJsonObject("config");
  }

  /** The layer files, bottom first. */
  List<Path> layers() {
    return layers;
  }

  /** Every path of every layer; a later layer's entry replaces an earlier one's, as when a runtime stacks them. */
  Map<String, Entry> entries() throws IOException {
    if (entries == null) {
      Map<String, Entry> all = new LinkedHashMap<>();
      for (Path layer : layers) {
        try (TarArchiveInputStream in = layerStream(layer)) {
          for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            all.put(e.getName(), new Entry(layer.getFileName().toString(), e.getMode() & 07777, e.getSize(),
                e.isDirectory(), (int) e.getLongUserId(), (int) e.getLongGroupId()));
          }
        }
      }
      entries = all;
    }
    return entries;
  }

  /** The content of one file of the image, from the topmost layer that has it. */
  byte[] read(String path) throws IOException {
    Entry entry = entries().get(path);
    if (entry == null || entry.directory()) {
      throw new IOException("no file " + path + " in the image");
    }
    Path layer = layers.stream().filter(l -> l.getFileName().toString().equals(entry.layer())).findFirst().orElseThrow();
    try (TarArchiveInputStream in = layerStream(layer)) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(path)) {
          return in.readAllBytes();
        }
      }
    }
    throw new IOException("no file " + path + " in layer " + layer);
  }

  String readText(String path) {
    try {
      return new String(read(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TarArchiveInputStream layerStream(Path layer) throws IOException {
    InputStream raw = Files.newInputStream(layer);
    return new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16));
  }
}
