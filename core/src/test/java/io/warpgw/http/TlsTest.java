package io.warpgw.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.config.ConfigException;
import io.warpgw.config.GatewayConfig;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.memory.MemoryStoreProvider;
import io.warpgw.testkit.TestGateway;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HTTPS (http.tls.cert and http.tls.key)")
class TlsTest {

  @Test
  @DisplayName("serves the API over TLS with a PEM certificate and key, to a client that trusts that certificate")
  void servesHttps(@TempDir Path dir) throws Exception {
    Path p12 = selfSigned(dir);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(p12.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("gw");
    Path certPem = dir.resolve("cert.pem");
    Path keyPem = dir.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", ks.getKey("gw", "changeit".toCharArray()).getEncoded()));

    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("gw", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Vertx vertx = Vertx.vertx();
    RegistrationStore store = new MemoryStoreProvider().create(vertx, new JsonObject()).await(30, TimeUnit.SECONDS);
    TestGateway gw = TestGateway.start(vertx, store, new JsonObject().put("http", new JsonObject()
        .put("tls", new JsonObject().put("cert", certPem.toString()).put("key", keyPem.toString()))))
        .await(30, TimeUnit.SECONDS);
    try {
      assertThat(gw.baseUrl()).startsWith("https://127.0.0.1:");
      HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gw.port() + "/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> list = trusting.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/accounts/tls/devices/registrations"))
          .header("Authorization", "Bearer " + gw.writeToken()).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(list.body()).getBoolean("success")).isTrue();
      assertThat(list.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));
      // Real TLS: a client that does not trust the certificate is refused in the handshake.
      assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gw.port() + "/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      System.out.println("tls: served /health and a list over " + list.sslSession().orElseThrow().getProtocol()
          + " with a self-signed PEM certificate; an untrusting client was refused");
    } finally {
      gw.close().await(30, TimeUnit.SECONDS);
      store.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a cert without a key (or the reverse) is a config error")
  void needsBoth() {
    assertThatThrownBy(() -> GatewayConfig.from(new JsonObject().put("http", new JsonObject()
        .put("tls", new JsonObject().put("cert", "/x.pem")))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls");
    GatewayConfig c = GatewayConfig.from(new JsonObject().put("http", new JsonObject().put("shutdown-grace", 3)));
    assertThat(c.shutdownGrace()).isEqualTo(3);
    assertThat(GatewayConfig.defaults().shutdownGrace()).isEqualTo(10);
    assertThat(GatewayConfig.defaults().tls()).isFalse();
  }

  /** keytool ships with every JDK; it makes the pair, Java's KeyStore reads it back for PEM. */
  private static Path selfSigned(Path dir) throws IOException, InterruptedException {
    Path p12 = dir.resolve("gw.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "gw", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit"))
        .redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("keytool did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    return p12;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
