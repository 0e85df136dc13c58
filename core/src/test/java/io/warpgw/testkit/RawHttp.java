package io.warpgw.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a plain socket, for the bytes java.net.http refuses to send: invalid UTF-8 and control
 * characters in the request line, broken percent-encoding, absurd headers, lying framing. It reads one
 * response and says precisely how it ended: complete, nothing at all, or cut part-way (the one outcome
 * a gateway must never produce). A read that outlasts the timeout is a hang and fails loudly.
 */
public final class RawHttp {
  /** Bodies this large are written from another thread, so an early answer (413) is read while writing. */
  private static final int ASYNC_WRITE_OVER = 64 * 1024;
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "raw-http-writer");
    t.setDaemon(true);
    return t;
  });

  private RawHttp() {}

  /** How one exchange ended. {@code bytes} counts every byte read, so "no answer" is exact. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean complete, long bytes,
      String problem) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The connection ended before a single byte of a response. */
    public boolean noAnswer() {
      return bytes == 0;
    }

    /** Some bytes of a response arrived, but not all of it. */
    public boolean cut() {
      return bytes > 0 && !complete;
    }
  }

  /** Thrown when the server neither answers nor closes within the timeout. */
  public static final class Hang extends IOException {
    public Hang(String message) {
      super(message);
    }
  }

  /** Sends {@code request} on a new connection and reads the one response. */
  public static Response exchange(String host, int port, byte[] request, boolean head, int timeoutMs) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      OutputStream out = s.getOutputStream();
      Future<?> writing = null;
      if (request.length > ASYNC_WRITE_OVER) {
        writing = WRITERS.submit(() -> {
          try {
            out.write(request);
            out.flush();
          } catch (IOException e) {
            // the server answered early and closed: the response, if any, is what counts
          }
        });
      } else {
        try {
          out.write(request);
          out.flush();
        } catch (IOException e) {
          // as above
        }
      }
      try {
        return read(new java.io.BufferedInputStream(s.getInputStream()), head);
      } finally {
        if (writing != null) {
          writing.cancel(true);
        }
      }
    }
  }

  public static Socket connect(String host, int port, int timeoutMs) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), timeoutMs);
    s.setSoTimeout(timeoutMs);
    return s;
  }

  /**
   * Reads one response (skipping 1xx interim ones). Never throws for a connection that ends early.
   * Give it a buffered stream: it reads byte by byte up to the body.
   */
  public static Response read(InputStream raw, boolean head) throws IOException {
    Counting in = new Counting(raw);
    try {
      while (true) {
        String statusLine = line(in);
        if (statusLine == null) {
          return new Response(0, Map.of(), new byte[0], false, in.count, "closed before a status line");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          return new Response(0, Map.of(), new byte[0], false, in.count, "not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
          int colon = h.indexOf(':');
          if (colon > 0) {
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(h.substring(colon + 1).trim());
          }
        }
        if (h == null) {
          return new Response(status, headers, new byte[0], false, in.count, "closed inside the headers");
        }
        if (status >= 100 && status < 200) {
          continue;
        }
        if (head || status == 204 || status == 304) {
          return new Response(status, headers, new byte[0], true, in.count, null);
        }
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
          while (true) {
            String size = line(in);
            if (size == null) {
              return new Response(status, headers, body.toByteArray(), false, in.count, "closed inside a chunked body");
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
              while ((h = line(in)) != null && !h.isEmpty()) {
                // trailers
              }
              return new Response(status, headers, body.toByteArray(), h != null, in.count, h == null ? "closed in trailers" : null);
            }
            if (!copy(in, body, n) || line(in) == null) {
              return new Response(status, headers, body.toByteArray(), false, in.count, "closed inside a chunk");
            }
          }
        }
        if (cl != null) {
          long n = Long.parseLong(cl.get(0));
          boolean whole = copy(in, body, n);
          return new Response(status, headers, body.toByteArray(), whole, in.count,
              whole ? null : "closed after " + body.size() + " of " + n + " body bytes");
        }
        in.transferTo(body);
        return new Response(status, headers, body.toByteArray(), true, in.count, null);
      }
    } catch (SocketTimeoutException e) {
      throw new Hang("no complete response within the timeout; " + in.count + " bytes read");
    } catch (IOException e) {
      // reset or broken pipe: what arrived before it is the answer
      return new Response(0, Map.of(), new byte[0], false, in.count, e.toString());
    }
  }

  private static boolean copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
    byte[] buf = new byte[8192];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        return false;
      }
      out.write(buf, 0, r);
      left -= r;
    }
    return true;
  }

  /** A CRLF- (or LF-) terminated line as ISO-8859-1, or null at end of stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return null;
  }

  /**
   * Counts bytes so the caller can tell "no answer" from "answer cut short". It reads no further than
   * asked, so responses pipelined on one connection can be read one after the other from the same
   * (buffered) stream.
   */
  private static final class Counting extends InputStream {
    private final InputStream in;
    long count;

    Counting(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Builds request bytes; everything is raw, nothing is validated or escaped. */
  public static final class Request {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public Request raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    public Request raw(String latin1) {
      return raw(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Request line(String method, byte[] target) {
      raw(method + " ").raw(target).raw(" HTTP/1.1\r\n");
      return this;
    }

    public Request header(String name, String value) {
      return raw(name + ": ").raw(value.getBytes(StandardCharsets.UTF_8)).raw("\r\n");
    }

    public Request header(byte[] line) {
      return raw(line).raw("\r\n");
    }

    /** Ends the headers, framing {@code body} with a correct Content-Length. */
    public byte[] body(byte[] body) {
      if (body != null) {
        header("Content-Length", Integer.toString(body.length));
      }
      raw("\r\n");
      if (body != null) {
        out.writeBytes(body);
      }
      return out.toByteArray();
    }

    /** Ends the headers and sends {@code body} as chunks of at most {@code chunk} bytes. */
    public byte[] chunked(byte[] body, int chunk) {
      header("Transfer-Encoding", "chunked");
      raw("\r\n");
      for (int i = 0; i < body.length; i += chunk) {
        int n = Math.min(chunk, body.length - i);
        raw(Integer.toHexString(n) + "\r\n");
        out.write(body, i, n);
        raw("\r\n");
      }
      raw("0\r\n\r\n");
      return out.toByteArray();
    }
  }

  public static boolean awaitQuietly(ExecutorService pool, long seconds) {
    pool.shutdown();
    try {
      return pool.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
