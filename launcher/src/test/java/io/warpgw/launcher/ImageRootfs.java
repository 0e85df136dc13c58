package io.warpgw.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container image without a container runtime: its layers extracted in order into a
 * directory, its entrypoint started there with chroot as its user, with what a runtime provides
 * around it: /proc, /dev, /etc/hosts and /etc/resolv.conf. Needs root, util-linux's unshare (the
 * mounts live in a private mount namespace and vanish with the process) and chroot.
 */
final class ImageRootfs {
  private final Path root;
  private final String unshare;
  private final String mount;
  private final String chroot;

  private ImageRootfs(Path root, String unshare, String mount, String chroot) {
    this.root = root;
    this.unshare = unshare;
    this.mount = mount;
    this.chroot = chroot;
  }

  /** Why this machine cannot run an image this way, or empty when it can. */
  static Optional<String> unavailable() {
    for (String tool : List.of("unshare", "mount", "chroot", "tar")) {
      if (which(tool).isEmpty()) {
        return Optional.of("no " + tool + " on PATH");
      }
    }
    try {
      Process p = new ProcessBuilder(which("unshare").get(), "--mount", "true").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.of("cannot make a mount namespace (root or CAP_SYS_ADMIN needed): " + out.trim());
      }
    } catch (IOException e) {
      return Optional.of("unshare failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
    return Optional.empty();
  }

  static ImageRootfs extract(ContainerImage image, Path root) throws IOException, InterruptedException {
    for (Path layer : image.layers()) {
      // GNU tar, as root, keeps modes and owners; the keyword warning is about libarchive's creation times.
      Process p = new ProcessBuilder(which("tar").orElseThrow(), "--warning=no-unknown-keyword", "-xzpf",
          layer.toString(), "-C", root.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("tar failed on " + layer + ": " + out);
      }
    }
    // The image's "/": a @TempDir is 700, which the image's user could not enter.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(root.resolve("proc"));
    Files.createDirectories(root.resolve("dev"));
    for (String file : List.of("/etc/hosts", "/etc/resolv.conf")) {
      if (Files.isReadable(Path.of(file))) {
        Files.copy(Path.of(file), root.resolve(file.substring(1)), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return new ImageRootfs(root, which("unshare").orElseThrow(), which("mount").orElseThrow(),
        which("chroot").orElseThrow());
  }

  Path root() {
    return root;
  }

  /**
   * Starts the image's entrypoint and command as its user, with exactly the image's environment plus
   * {@code env}. The returned process is the gateway's JVM itself (each step execs the next), so a
   * SIGTERM to it is what a runtime's stop sends.
   */
  GatewayProcess run(List<String> entrypoint, List<String> cmd, String user, List<String> imageEnv,
      Map<String, String> env) {
    List<String> command = new ArrayList<>(List.of(unshare, "--mount", "--mount-proc=" + root.resolve("proc"),
        "/bin/sh", "-c",
        "root=$1; user=$2; mount=$3; chroot=$4; shift 4; "
            + "\"$mount\" --rbind /dev \"$root/dev\" && exec \"$chroot\" --userspec=\"$user\" \"$root\" \"$@\"",
        "sh", root.toString(), user, mount, chroot));
    command.addAll(entrypoint);
    command.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    for (String kv : imageEnv) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    pb.environment().putAll(env);
    return GatewayProcess.start(pb);
  }

  private static Optional<String> which(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
