package io.feishuipsync.writer.feed;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterFixtures;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed over real HTTPS with real basic authentication on loopback; certificates and keys are made by the real
 * {@code openssl} command, in the forms operators have them.
 */
class FeedTlsAuthTest {

  @TempDir
  static Path keys;

  @TempDir
  Path dir;

  FeedWriter feed;

  static Path cert;
  static Path key;

  @BeforeAll
  static void makeKeys() throws Exception {
    cert = keys.resolve("cert.pem");
    key = keys.resolve("key.pem");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        keys.resolve("other-key.pem").toString(), "-out", keys.resolve("other-cert.pem").toString(), "-days", "2",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    openssl("rsa", "-in", key.toString(), "-traditional", "-out", keys.resolve("pkcs1.pem").toString());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
  }

  static void openssl(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + args[0] + ": " + out);
  }

  @AfterEach
  void stop() {
    if (feed != null) {
      feed.close();
    }
  }

  FeedWriter feed(String yaml) throws Exception {
    feed = (FeedWriter) WriterFixtures.writer("feed", "listen: 127.0.0.1:0\n" + yaml, null);
    return feed;
  }

  SyncResult sync(FeedWriter writer, boolean dryRun, String... entries) {
    return new Syncer(() -> new SourceList(ips(entries), "fake", Instant.parse("2026-11-24T10:00:00Z"), 1),
        new StateStore(dir), List.of(writer), GuardSettings.DEFAULTS, Clock.systemUTC())
        .runOnce(new Syncer.Options(dryRun, false));
  }

  static HttpClient trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry("feed", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  HttpResponse<String> get(HttpClient client, String scheme, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create(scheme + "://127.0.0.1:" + feed.address().getPort() + "/feishu-ipsync.txt"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void servesHttpsOnlyToTheConfiguredUser() throws Exception {
    feed("tls_cert: " + cert + "\ntls_key: " + key + "\nusername: paloalto\npassword: s3cret-feed-pass\n");
    assertEquals(SyncResult.Outcome.SUCCESS, sync(feed, false, "192.0.2.1", "2001:db8::1").outcome());
    HttpClient client = trusting(cert);

    HttpResponse<String> anonymous = get(client, "https");
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic realm="));
    assertFalse(anonymous.body().contains("192.0.2.1"));
    assertEquals(401, get(client, "https", "Authorization", basic("paloalto", "wrong")).statusCode());
    assertEquals(401, get(client, "https", "Authorization", basic("other", "s3cret-feed-pass")).statusCode());

    HttpResponse<String> ok = get(client, "https", "Authorization", basic("paloalto", "s3cret-feed-pass"));
    assertEquals(200, ok.statusCode());
    assertEquals("192.0.2.1/32\n2001:db8::1/128\n", ok.body());
    String etag = ok.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, get(client, "https", "Authorization", basic("paloalto", "s3cret-feed-pass"),
        "If-None-Match", etag).statusCode());

    // Plain HTTP to the TLS port gets no list, and a client that does not trust the certificate gets nothing.
    assertThrows(java.io.IOException.class, () -> get(HttpClient.newHttpClient(), "http"));
    assertThrows(SSLHandshakeException.class, () -> get(trusting(keys.resolve("other-cert.pem")), "https"));
  }

  @Test
  void thePasswordComesFromAFileOrASystemdCredentialAndNeverShows() throws Exception {
    Path file = dir.resolve("feed-pass");
    Files.writeString(file, "from-a-file\n");
    feed("username: fortigate\npassword_file: " + file + "\n").check();
    assertEquals(SyncResult.Outcome.SUCCESS, sync(feed, false, "192.0.2.7").outcome());
    assertEquals(200, get(HttpClient.newHttpClient(), "http", "Authorization", basic("fortigate", "from-a-file"))
        .statusCode());
    feed.close();

    Path credentials = Files.createDirectory(dir.resolve("credentials"));
    Files.writeString(credentials.resolve("feed_password"), "from-systemd");
    WriterContext context = new WriterContext(null, dir, () -> ips("192.0.2.7"), true, credentials);
    feed = (FeedWriter) WriterFixtures.writerIn("feed", "listen: 127.0.0.1:0\nusername: fortigate\n", context);
    feed.check();
    assertEquals(200, get(HttpClient.newHttpClient(), "http", "Authorization", basic("fortigate", "from-systemd"))
        .statusCode());
    assertFalse(feed.toString().contains("from-systemd"));
  }

  @Test
  void badTlsAndAuthSettingsAreOneLineErrorsNamingTheKey() throws Exception {
    ConfigException clear = assertThrows(ConfigException.class,
        () -> feed("username: u\npassword: p4ss-in-clear\nlisten: 0.0.0.0:9465\n"));
    assertEquals("username", clear.key());
    assertTrue(clear.getMessage().contains("set tls_cert and tls_key"), clear.getMessage());
    assertFalse(clear.getMessage().contains("p4ss-in-clear"));

    assertEquals("password", assertThrows(ConfigException.class, () -> feed("username: u\n")).key());
    assertEquals("username", assertThrows(ConfigException.class, () -> feed("password: p\n")).key());
    assertEquals("username", assertThrows(ConfigException.class, () -> feed("username: 'a:b'\npassword: p\n"))
        .key());
    assertEquals("password", assertThrows(ConfigException.class,
        () -> feed("username: u\npassword: p\npassword_file: /etc/hostname\n")).key());
    assertEquals("tls_cert", assertThrows(ConfigException.class, () -> feed("tls_cert: " + cert + "\n")).key());

    ConfigException mismatch = assertThrows(ConfigException.class,
        () -> feed("tls_cert: " + cert + "\ntls_key: " + keys.resolve("other-key.pem") + "\n"));
    assertEquals("tls_key", mismatch.key());
    assertTrue(mismatch.getMessage().contains("is not the key of the certificate"), mismatch.getMessage());

    ConfigException pkcs1 = assertThrows(ConfigException.class,
        () -> feed("tls_cert: " + cert + "\ntls_key: " + keys.resolve("pkcs1.pem") + "\n"));
    assertTrue(pkcs1.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), pkcs1.getMessage());
    assertFalse(pkcs1.getMessage().contains("MII"), "no key material in the message");

    ConfigException notCert = assertThrows(ConfigException.class,
        () -> feed("tls_cert: " + key + "\ntls_key: " + key + "\n"));
    assertEquals("tls_cert", notCert.key());
    assertFalse(notCert.getMessage().contains("MII"), "no key material in the message");

    ConfigException missing = assertThrows(ConfigException.class,
        () -> feed("tls_cert: " + dir.resolve("none.pem") + "\ntls_key: " + key + "\n"));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }

  @Test
  void anEcKeyServesToo() throws Exception {
    Path ecCert = keys.resolve("other-cert.pem");
    feed("tls_cert: " + ecCert + "\ntls_key: " + keys.resolve("other-key.pem") + "\n");
    sync(feed, false, "203.0.113.9");
    assertEquals("203.0.113.9/32\n", get(trusting(ecCert), "https").body());
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestartAndABrokenOneIsNot() throws Exception {
    java.time.Duration before = FeedServer.renewalCheck;
    FeedServer.renewalCheck = java.time.Duration.ofMillis(100);
    try {
      Path live = Files.createDirectory(dir.resolve("live"));
      Files.copy(cert, live.resolve("cert.pem"));
      Files.copy(key, live.resolve("key.pem"));
      feed("tls_cert: " + live.resolve("cert.pem") + "\ntls_key: " + live.resolve("key.pem") + "\n");
      sync(feed, false, "203.0.113.9");
      assertEquals("203.0.113.9/32\n", get(trusting(cert), "https").body());

      // A renewal half done (the new certificate beside the old key) is refused; the old identity goes on.
      Path renewed = keys.resolve("other-cert.pem");
      Files.copy(renewed, live.resolve("cert.pem.new"));
      Files.move(live.resolve("cert.pem.new"), live.resolve("cert.pem"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(500);
      assertEquals("203.0.113.9/32\n", get(trusting(cert), "https").body(), "still the old certificate");

      // The key follows: from the next check on, new connections get the renewed certificate.
      Files.copy(keys.resolve("other-key.pem"), live.resolve("key.pem"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      HttpClient renewedClient = trusting(renewed);
      String body = null;
      while (body == null && System.nanoTime() < deadline) {
        try {
          body = get(renewedClient, "https").body();
        } catch (SSLHandshakeException e) {
          Thread.sleep(100);
        }
      }
      assertEquals("203.0.113.9/32\n", body, "the renewed certificate is served");
      assertThrows(SSLHandshakeException.class, () -> get(trusting(cert), "https"), "the old one no longer");
    } finally {
      FeedServer.renewalCheck = before;
    }
  }

  @Test
  void outsideTheDaemonTheFeedNeverTakesThePort() throws Exception {
    try (ServerSocket daemon = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = daemon.getLocalPort();
      WriterContext oneShot = new WriterContext(null, dir, () -> new TreeSet<>(), false, null);
      FeedWriter dry = (FeedWriter) WriterFixtures.writerIn("feed", "listen: 127.0.0.1:" + port + "\n", oneShot);
      SyncResult planned = sync(dry, true, "192.0.2.1");
      assertEquals(SyncResult.Outcome.SUCCESS, planned.outcome(), planned.message());
      assertEquals(1, planned.writers().get(0).added(), "the plan adds the address to the feed");

      // A one-shot sync records the list for the daemon and serves nothing itself.
      FeedWriter once = (FeedWriter) WriterFixtures.writerIn("feed", "listen: 127.0.0.1:" + port + "\n", oneShot);
      assertEquals(SyncResult.Outcome.SUCCESS, sync(once, false, "192.0.2.1").outcome());
      assertEquals(ips("192.0.2.1"), new StateStore(dir).loadSnapshot().entries());
    }
  }
}
