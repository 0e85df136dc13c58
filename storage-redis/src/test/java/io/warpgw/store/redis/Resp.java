package io.warpgw.store.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking one-command Redis client for test set-up and inspection (readiness, cluster forming,
 * consistency checks), so that those never depend on the client under test. Test threads only.
 */
final class Resp {
  private Resp() {}

  /** Sends one command; returns a String, Long, List or null; a Redis error reply throws. */
  static Object call(String host, int port, String... args) {
    return call(host, port, null, args);
  }

  /** As {@link #call(String, int, String...)}, authenticating first when {@code auth} is not null. */
  static Object call(String host, int port, List<String> auth, String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      BufferedInputStream in = new BufferedInputStream(s.getInputStream());
      if (auth != null) {
        send(out, auth.toArray(String[]::new));
        read(in);
      }
      send(out, args);
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      req.writeBytes(b);
      req.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(req.toByteArray());
    out.flush();
  }

  static Object call(int port, String... args) {
    return call("127.0.0.1", port, args);
  }

  static boolean answers(int port) {
    try {
      return "PONG".equals(call(port, "PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] b = in.readNBytes(n);
        in.readNBytes(2);
        return new String(b, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read(in));
        }
        return list;
      }
      default:
        throw new IOException("unexpected RESP type " + type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      b.write(c);
    }
    in.read();
    return b.toString(StandardCharsets.UTF_8);
  }
}
