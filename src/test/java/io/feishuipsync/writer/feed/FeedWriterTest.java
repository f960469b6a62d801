package io.feishuipsync.writer.feed;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Syncer;
import io.feishuipsync.writer.WriterFixtures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed through real HTTP on loopback, filled by the real Syncer. */
class FeedWriterTest {

  @TempDir
  Path dir;

  final HttpClient http = HttpClient.newHttpClient();
  SortedSet<IpRange> list = new TreeSet<>();
  FeedWriter feed;

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

  Syncer syncer() {
    return new Syncer(() -> new SourceList(list, "fake", Instant.parse("2026-11-24T10:00:00Z"), 1),
        new StateStore(dir), List.of(feed), GuardSettings.DEFAULTS, Clock.systemUTC());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + feed.address().getPort() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientGetsTheListTheSyncApplied() throws Exception {
    feed("");
    list = ips("192.0.2.1", "198.51.100.0/24", "2001:db8::1");
    SyncResult r = syncer().runOnce(new Syncer.Options(false, false));
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    HttpResponse<String> res = get("/feishu-ipsync.txt");
    assertEquals(200, res.statusCode());
    assertEquals("192.0.2.1/32\n198.51.100.0/24\n2001:db8::1/128\n", res.body());
    assertEquals("text/plain; charset=utf-8", res.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(404, get("/other.txt").statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + feed.address().getPort() + "/feishu-ipsync.txt"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void beforeAnyListItAnswers503NotAnEmptyList() throws Exception {
    feed("").check();
    HttpResponse<String> res = get("/feishu-ipsync.txt");
    assertEquals(503, res.statusCode());
  }

  @Test
  void startsWithTheLastSuccessfulSyncsList() throws Exception {
    feed = new FeedWriter(new FeedWriter.Serving(new java.net.InetSocketAddress("127.0.0.1", 0), "/f.txt", null,
        null, true), FeedFamily.BOTH, () -> ips("203.0.113.7"), Clock.systemUTC());
    feed.check();
    assertEquals("203.0.113.7/32\n", get("/f.txt").body());
    assertEquals(ips("203.0.113.7"), feed.read().entries());
  }

  @Test
  void conditionalRequestsGet304UntilTheListChanges() throws Exception {
    feed("");
    list = ips("192.0.2.1", "192.0.2.2");
    syncer().runOnce(new Syncer.Options(false, false));
    HttpResponse<String> first = get("/feishu-ipsync.txt");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
    assertEquals(304, get("/feishu-ipsync.txt", "If-None-Match", etag).statusCode());
    assertEquals(304, get("/feishu-ipsync.txt", "If-Modified-Since", lastModified).statusCode());
    assertEquals(200, get("/feishu-ipsync.txt", "If-None-Match", "\"other\"").statusCode());

    list = ips("192.0.2.1", "192.0.2.2", "192.0.2.3");
    syncer().runOnce(new Syncer.Options(false, false));
    HttpResponse<String> changed = get("/feishu-ipsync.txt", "If-None-Match", etag);
    assertEquals(200, changed.statusCode());
    assertEquals("192.0.2.1/32\n192.0.2.2/32\n192.0.2.3/32\n", changed.body());
  }

  @Test
  void familyFiltersWhatIsServedAndWhatIsCompared() throws Exception {
    feed("family: ipv6\n");
    list = ips("192.0.2.1", "2001:db8::/64", "2001:db8:1::1");
    SyncResult r = syncer().runOnce(new Syncer.Options(false, false));
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals("2001:db8::/64\n2001:db8:1::1/128\n", get("/feishu-ipsync.txt").body());
    assertEquals(ips("2001:db8::/64", "2001:db8:1::1"), feed.read().entries());
    stop();
    feed("family: ipv4\npath: /v4.txt\n");
    syncer().runOnce(new Syncer.Options(false, false));
    assertEquals("192.0.2.1/32\n", get("/v4.txt").body());
  }

  @Test
  void concurrentClientsGetTheOldOrTheNewListWhole() throws Exception {
    feed("");
    SortedSet<IpRange> a = first(300);
    SortedSet<IpRange> b = new TreeSet<>(a);
    b.addAll(ips("2001:db8::1", "2001:db8::2", "203.0.113.200"));
    String bodyA = FeedBody.of(a, Instant.EPOCH).bodyText();
    String bodyB = FeedBody.of(b, Instant.EPOCH).bodyText();
    list = a;
    Syncer syncer = syncer();
    syncer.runOnce(new Syncer.Options(false, false));
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    List<Thread> clients = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        try {
          while (!done.get()) {
            seen.add(get("/feishu-ipsync.txt").body());
          }
        } catch (Exception e) {
          seen.add("failed: " + e);
        }
      });
      t.start();
      clients.add(t);
    }
    // Syncs go on until the clients have asked often enough (a new connection each time) to meet the swaps.
    for (int i = 0; (i < 20 || seen.size() < 40) && i < 20_000; i++) {
      list = i % 2 == 0 ? b : a;
      assertEquals(SyncResult.Outcome.SUCCESS, syncer.runOnce(new Syncer.Options(false, false)).outcome());
    }
    list = a;
    assertEquals(SyncResult.Outcome.SUCCESS, syncer.runOnce(new Syncer.Options(false, false)).outcome());
    done.set(true);
    for (Thread t : clients) {
      t.join();
    }
    assertTrue(seen.size() > 20, "too few requests: " + seen.size());
    for (String body : seen) {
      assertTrue(body.equals(bodyA) || body.equals(bodyB), "a mixed or failed answer: "
          + body.substring(0, Math.min(80, body.length())));
    }
    assertEquals(bodyA, get("/feishu-ipsync.txt").body());
  }

  @Test
  void stalledClientsCannotKeepAFirewallFromTheList() throws Exception {
    feed("");
    list = ips("192.0.2.1");
    syncer().runOnce(new Syncer.Options(false, false));
    // Four such connections took the feed down for as long as they stayed when it ran on the JDK's server.
    List<java.net.Socket> stalled = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        java.net.Socket s = new java.net.Socket();
        s.bind(new java.net.InetSocketAddress("127.0.0." + (3 + i % 3), 0));
        s.connect(feed.address());
        s.getOutputStream().write("GET /feishu-ipsync.txt HTTP/1.1\r\nHost: x\r\n".getBytes());
        stalled.add(s);
      }
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + feed.address().getPort() + "/feishu-ipsync.txt")).timeout(java.time.Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals("192.0.2.1/32\n", r.body());
      }
    } finally {
      for (java.net.Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void aBadListenIsAConfigErrorNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> WriterFixtures.writer("feed", "listen: feeds.example:80\n", null));
    assertEquals("listen", e.key());
    assertEquals("family", assertThrows(ConfigException.class,
        () -> WriterFixtures.writer("feed", "family: v4\n", null)).key());
    assertEquals("path", assertThrows(ConfigException.class,
        () -> WriterFixtures.writer("feed", "path: feed.txt\n", null)).key());
  }

  @Test
  void aPortInUseFailsTheCheckNamingListen() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      feed = (FeedWriter) WriterFixtures.writer("feed", "listen: 127.0.0.1:" + taken.getLocalPort() + "\n", null);
      WriterException e = assertThrows(WriterException.class, feed::check);
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort() + " (listen)"), e.getMessage());
      list = ips("192.0.2.1");
      SyncResult r = syncer().runOnce(new Syncer.Options(false, false));
      assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome());
      feed = null;
    }
  }
}
