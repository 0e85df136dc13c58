package io.warpgw.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.warpgw.store.memory.MemoryRegistrationStore;
import io.warpgw.testkit.RawHttp;
import io.warpgw.testkit.TestGateway;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request lines with a version other than HTTP/1.0 and HTTP/1.1: Vert.x alone answers them with a bare
 * 501; the gateway answers 505 (1009) in the envelope, as HTTP/1.1, and closes. The real h2c preface
 * still starts HTTP/2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Request lines with an HTTP version the gateway does not speak")
class HttpVersionTest {
  private static final int TIMEOUT_MS = 10_000;
  private Vertx vertx;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    gateway = TestGateway.start(vertx, new MemoryRegistrationStore()).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private RawHttp.Response send(String request) throws IOException {
    return RawHttp.exchange("127.0.0.1", gateway.port(), request.getBytes(StandardCharsets.ISO_8859_1), false, TIMEOUT_MS);
  }

  private static void assertVersionRefused(RawHttp.Response r, String what) {
    assertThat(r.complete()).as(what + ": " + r.problem()).isTrue();
    assertThat(r.status()).as(what + ": " + r.bodyText()).isEqualTo(505);
    assertThat(r.header("content-type")).as(what).startsWith("application/json");
    assertThat(r.header("cf-ray")).as(what).isNotBlank();
    assertThat(r.header("x-should-retry")).as(what).isEqualTo("false");
    assertThat(r.header("connection")).as(what).isEqualTo("close");
    JsonObject env = new JsonObject(r.bodyText());
    assertThat(env.getBoolean("success")).isFalse();
    assertThat(env.containsKey("result")).isTrue();
    assertThat(env.getValue("result")).isNull();
    assertThat(env.getJsonArray("messages")).isEmpty();
    JsonObject error = env.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getInteger("code")).as(what).isEqualTo(1009);
    assertThat(error.getString("message")).contains("HTTP/1.1");
  }

  @Test
  @DisplayName("HTTP/2.0, 1.2, 9.9, 0.9 and RTSP/1.0 on any route → 505 (1009) in the envelope, never a bare 501")
  void unknownVersions() throws IOException {
    String base = gateway.baseUrl().substring(gateway.rootUrl().length());
    for (String version : List.of("HTTP/2.0", "HTTP/1.2", "HTTP/9.9", "HTTP/0.9", "HTTP/3.0", "RTSP/1.0", "http/1.1")) {
      for (String target : List.of("/health", "/", base + "/accounts/a/devices/registrations", "/nope")) {
        RawHttp.Response r = send("GET " + target + " " + version + "\r\nHost: 127.0.0.1\r\n\r\n");
        assertVersionRefused(r, "GET " + target + " " + version);
      }
    }
    // With a body and no credentials: the version is refused before anything else is read.
    RawHttp.Response post = send("POST " + base + "/accounts/a/devices/registrations/revoke?id=x HTTP/2.0\r\n"
        + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    assertVersionRefused(post, "POST HTTP/2.0");
    // The decoder rejected it for something else first (headers over the limit): that error, on an
    // HTTP/1.1 status line all the same (RawHttp reads "RTSP/1.0 431" as no status line at all).
    RawHttp.Response garbled = send("GET / RTSP/1.0\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n");
    assertThat(garbled.complete()).as(garbled.problem()).isTrue();
    assertThat(garbled.status()).isEqualTo(431);
    assertThat(new JsonObject(garbled.bodyText()).getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(1008);
  }

  @Test
  @DisplayName("PRI * HTTP/2.0 that is not the whole h2c preface → 505 (1009); a method named PRI on HTTP/1.1 is routed")
  void brokenPreface() throws IOException {
    assertVersionRefused(send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"), "PRI * HTTP/2.0 without SM");
    assertVersionRefused(send("PRI * HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n"), "PRI * HTTP/2.0 with a header");
    RawHttp.Response pri11 = send("PRI /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(pri11.status()).as(pri11.bodyText()).isIn(404, 405);
    assertThat(pri11.header("cf-ray")).isNotBlank();
  }

  @Test
  @DisplayName("HTTP/1.0 and HTTP/1.1 are served; a bad version after a good request on one connection gets 505 and the close")
  void goodVersionsAndPipelining() throws IOException {
    assertThat(send("GET /health HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
    assertThat(send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
    try (Socket s = RawHttp.connect("127.0.0.1", gateway.port(), TIMEOUT_MS)) {
      s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          + "GET /health HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n"
          + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      assertThat(RawHttp.read(in, false).status()).isEqualTo(200);
      assertVersionRefused(RawHttp.read(in, false), "pipelined HTTP/2.0");
      // The connection ends after the 505: the third request is not answered.
      RawHttp.Response third = RawHttp.read(in, false);
      assertThat(third.noAnswer()).as("after the 505: " + third.status()).isTrue();
    }
  }

  @Test
  @DisplayName("the full h2c preface (HTTP/2 with prior knowledge) is HTTP/2, answered in the envelope")
  void h2cPriorKnowledge() throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    try {
      String base = gateway.baseUrl().substring(gateway.rootUrl().length());
      for (String[] c : List.of(new String[] {"/health", "200"}, new String[] {base + "/nope/x", "404"},
          new String[] {base + "/accounts/a/devices/registrations", "401"})) {
        JsonObject answer = client.request(HttpMethod.GET, gateway.port(), "127.0.0.1", c[0])
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(body -> new JsonObject()
                .put("version", resp.version().name()).put("status", resp.statusCode())
                .put("ray", resp.getHeader("cf-ray")).put("body", body.toString())))
            .await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(answer.getString("version")).isEqualTo("HTTP_2");
        assertThat(answer.getInteger("status")).as(c[0] + " " + answer).isEqualTo(Integer.parseInt(c[1]));
        assertThat(answer.getString("ray")).isNotBlank();
        assertThat(new JsonObject(answer.getString("body")).getBoolean("success")).isEqualTo(c[1].equals("200"));
      }
    } finally {
      client.close().await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  @DisplayName("an HTTP/1.1 request with Upgrade: h2c (the JDK client's HTTP/2 on http://) is answered over HTTP/2")
  void h2cUpgrade() throws Exception {
    // java.net.http's client, named in full: io.vertx.core.http.HttpClient is imported.
    java.net.http.HttpClient jdk = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/accounts/a/devices/registrations"))
        .header("Authorization", "Bearer " + gateway.readToken()).timeout(Duration.ofMillis(TIMEOUT_MS)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("cf-ray")).isPresent();
    assertThat(new JsonObject(r.body()).getBoolean("success")).isTrue();
  }
}
