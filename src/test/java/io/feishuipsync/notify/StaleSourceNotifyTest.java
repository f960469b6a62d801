package io.feishuipsync.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.SyncResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "stale" alert: a real local webhook receives it when one source's last good list passes sources.max_age. */
class StaleSourceNotifyTest {

  @TempDir
  Path state;

  HttpServer server;
  final List<JsonNode> received = new ArrayList<>();
  final MutableClock clock = new MutableClock();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      synchronized (received) {
        received.add(new ObjectMapper().readTree(ex.getRequestBody().readAllBytes()));
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  SyncResult partial(Duration larkAge) {
    Instant now = clock.instant();
    return new SyncResult(SyncResult.Outcome.PARTIAL, "partial", 5, new TreeSet<>(), new TreeSet<>(), true, false,
        List.of(), now, Duration.ZERO, 2, new TreeSet<>(), List.of(
            new SourceReport("feishu", SourceReport.State.FRESH, 3, now, null),
            new SourceReport("lark", SourceReport.State.STALE, 2, now.minus(larkAge), "Lark answered HTTP 503")));
  }

  @Test
  void aSourceOlderThanMaxAgeIsReportedOncePerInterval() {
    Notifier n = new Notifier(new NotifySettings(null, new ChannelSettings(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/hook"), null), 3, Duration.ofMinutes(10)), state, clock,
        Duration.ofHours(48));
    n.after(partial(Duration.ofHours(47)), 0);
    assertEquals(0, received.size(), "younger than max_age");
    n.after(partial(Duration.ofHours(49)), 0);
    assertEquals(1, received.size());
    assertEquals("stale", received.get(0).path("event").asText());
    String text = received.get(0).toString();
    assertTrue(text.contains("source lark") && text.contains("older than sources.max_age 2d"), text);
    n.after(partial(Duration.ofHours(49)), 0);
    assertEquals(1, received.size(), "not again within min_interval");
    clock.advance(Duration.ofMinutes(11));
    n.after(partial(Duration.ofHours(50)), 0);
    assertEquals(2, received.size());
  }
}
