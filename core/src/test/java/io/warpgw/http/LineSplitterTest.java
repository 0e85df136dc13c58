package io.warpgw.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request bodies sent over a real connection in writes of random sizes (so lines, CRLFs and multi-byte
 * characters fall across chunks anywhere), split by {@link LineSplitter} on a server whose line handler
 * pauses at random and resumes in a later event-loop turn, as an import does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Splitting a streamed body into lines")
class LineSplitterTest {
  private static final int MAX_LINE = 5000;
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;
  /** What the server's splitter saw for the current request: lines, then "END" or "ERROR ...". */
  private volatile Promise<List<String>> seen;
  private volatile long pauseSeed;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::split).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void split(HttpServerRequest request) {
    List<String> lines = new ArrayList<>();
    Random rnd = new Random(pauseSeed);
    LineSplitter splitter = new LineSplitter(request, MAX_LINE);
    Promise<List<String>> result = seen;
    splitter.handler((data, off, len) -> {
      lines.add(new String(data, off, len, StandardCharsets.UTF_8));
      if (rnd.nextInt(4) == 0) {
        splitter.pause();
        vertx.getOrCreateContext().runOnContext(v -> splitter.resume());
      }
    });
    splitter.endHandler(v -> {
      lines.add("END");
      result.tryComplete(lines);
      request.response().end();
    });
    splitter.exceptionHandler(e -> {
      lines.add("ERROR " + e.getClass().getSimpleName());
      result.tryComplete(lines);
      request.response().setStatusCode(413).end();
    });
    splitter.start();
  }

  private List<String> send(byte[] body, long seed) throws Exception {
    seen = Promise.promise();
    pauseSeed = seed;
    Random rnd = new Random(seed);
    HttpClientRequest req = client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
        .await(10, TimeUnit.SECONDS);
    req.setChunked(true);
    Future<?> sent = req.response();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 3000));
      byte[] part = new byte[n];
      System.arraycopy(body, at, part, 0, n);
      req.write(Buffer.buffer(part));
      at += n;
    }
    req.end();
    List<String> lines = seen.future().await(20, TimeUnit.SECONDS);
    sent.await(20, TimeUnit.SECONDS);
    return lines;
  }

  @Test
  @DisplayName("hands over every line whole, wherever the chunks break, pausing and resuming")
  void everyLineWhole() throws Exception {
    Random rnd = new Random(3);
    for (int round = 0; round < 30; round++) {
      List<String> expected = new ArrayList<>();
      StringBuilder body = new StringBuilder();
      int lines = 1 + rnd.nextInt(400);
      for (int i = 0; i < lines; i++) {
        String line = line(rnd);
        expected.add(line);
        // The last line may lack its newline (an empty one then is no line at all).
        body.append(line).append(i == lines - 1 && !line.isEmpty() && rnd.nextBoolean() ? "" : "\n");
      }
      expected.add("END");
      assertThat(send(body.toString().getBytes(StandardCharsets.UTF_8), round)).as("round %d", round)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  @DisplayName("an empty body ends with no line; a body of newlines gives empty lines")
  void emptyLines() throws Exception {
    assertThat(send(new byte[0], 1)).containsExactly("END");
    assertThat(send("\n\n\n".getBytes(StandardCharsets.UTF_8), 2)).containsExactly("", "", "", "END");
    assertThat(send("a\r\n\r\nb".getBytes(StandardCharsets.UTF_8), 3)).containsExactly("a\r", "\r", "b", "END");
  }

  @Test
  @DisplayName("a line growing past the limit before its end stops the splitting with an IllegalStateException")
  void tooLong() throws Exception {
    String body = "first\nsecond\n" + "x".repeat(MAX_LINE * 3) + "\nnever\n";
    assertThat(send(body.getBytes(StandardCharsets.UTF_8), 4))
        .containsExactly("first", "second", "ERROR IllegalStateException");
  }

  private static String line(Random rnd) {
    String[] parts = {"{\"id\":\"a\"}", "é", "東京", "\uD83D\uDE00", "\r", " ", "abc", "\t"};
    StringBuilder s = new StringBuilder();
    int n = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(rnd.nextInt(8) == 0 ? 600 : 30);
    for (int i = 0; i < n; i++) {
      s.append(parts[rnd.nextInt(parts.length)]);
    }
    return s.toString();
  }
}
