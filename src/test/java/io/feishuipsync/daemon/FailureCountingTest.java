package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.config.ScheduleSettings;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult.Outcome;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.metrics.SyncMetrics;
import io.feishuipsync.notify.ChannelSettings;
import io.feishuipsync.notify.Notifier;
import io.feishuipsync.notify.NotifySettings;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.sync.Syncer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One definition of a failed run: for each outcome, {@code status.json}, the metrics, the daemon (its count and its
 * early retry) and the notifier's "failing" alert agree. Runs the real syncer on a state directory, the real
 * daemon's scheduler, and a real local HTTP server receiving the notifications.
 */
class FailureCountingTest {

  @TempDir
  Path state;

  HttpServer server;
  final List<String> sent = new ArrayList<>();
  Mode mode = Mode.SUCCESS;
  final SortedSet<IpRange> held = new TreeSet<>();
  StateStore store;
  SyncMetrics metrics;
  Notifier notifier;
  Syncer syncer;
  Daemon daemon;

  /**
   * What the next run meets: a good list, Feishu failing, an empty list (a guard refuses it), a writer failing, a
   * fetch given up because the daemon is stopping.
   */
  enum Mode { SUCCESS, SOURCE_FAILS, EMPTY_LIST, WRITER_FAILS, STOPPING }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (sent) {
        sent.add(new ObjectMapper().readTree(body).path("event").asText());
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    store = new StateStore(state);
    metrics = new SyncMetrics(Clock.systemUTC());
    notifier = new Notifier(new NotifySettings(null, new ChannelSettings(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), Secret.of("hook-secret")), 2,
        Duration.ofMinutes(10)), state, Clock.systemUTC());
    syncer = new Syncer(this::fetch, store, List.of(new MemoryWriter()), GuardSettings.DEFAULTS, Clock.systemUTC());
    // What the CLI's wiring does around each run: the syncer records status, then metrics and notifications.
    daemon = new Daemon(() -> {
      SyncResult r = syncer.runOnce(new Syncer.Options(false, false));
      metrics.record(r);
      notifier.after(r, statusFailures());
      return r;
    }, new ScheduleSettings(Duration.ofHours(6), null, false, Duration.ofHours(1)));
    daemon.start();
  }

  @AfterEach
  void stop() throws Exception {
    daemon.requestStop();
    daemon.awaitAndStop();
    server.stop(0);
  }

  SourceList fetch() throws SourceException {
    return switch (mode) {
      case SOURCE_FAILS -> throw new SourceException("Feishu unreachable", null);
      case STOPPING -> throw SourceException.abandoned("fetch abandoned: the daemon is stopping; nothing applied");
      case EMPTY_LIST -> new SourceList(new TreeSet<>(), "fake", Instant.now(), 1);
      default -> new SourceList(new TreeSet<>(List.of(IpRange.parse("198.51.100.7"))), "fake", Instant.now(), 1);
    };
  }

  /** Holds its entries in memory; fails when the run is meant to meet a failing writer. */
  final class MemoryWriter implements Writer {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public void check() throws WriterException {
      if (mode == Mode.WRITER_FAILS) {
        throw new WriterException(name(), "cannot reach the firewall");
      }
    }

    @Override
    public Holding read() {
      return Holding.of(held);
    }

    @Override
    public void apply(SortedSet<IpRange> desired, ChangeSet change) {
      held.clear();
      held.addAll(desired);
    }
  }

  int statusFailures() {
    return store.loadStatus().orElseThrow().consecutiveFailures();
  }

  int metricFailures() {
    return metrics.scrape().lines().filter(l -> l.startsWith("feishu_ipsync_consecutive_failures "))
        .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
  }

  /** Runs one sync meeting {@code m} through the daemon; checks everyone counts {@code failures} and retries alike. */
  void run(Mode m, Outcome expected, int failures) throws Exception {
    mode = m;
    int before = sent.size();
    daemon.runSync();
    assertEquals(expected, store.loadStatus().orElseThrow().lastAttempt().outcome());
    String where = m + " after " + sent;
    assertEquals(failures, statusFailures(), "status: " + where);
    assertEquals(failures, metricFailures(), "metrics: " + where);
    assertEquals(failures, daemon.consecutiveFailures(), "daemon: " + where);
    if (expected.isFailure()) {
      assertNotNull(daemon.retryTime(), "a failure is retried early: " + where);
    } else {
      assertNull(daemon.retryTime(), "no early retry after " + where);
    }
    if (sent.size() > before) {
      assertTrue(!sent.subList(before, sent.size()).contains("failing") || failures >= 2, where);
    }
  }

  @Test
  void everyOutcomeCountsTheSameInStatusMetricsDaemonAndNotifications() throws Exception {
    run(Mode.SOURCE_FAILS, Outcome.SOURCE_FAILED, 1);
    run(Mode.EMPTY_LIST, Outcome.REFUSED, 1);
    assertEquals(List.of("refused"), sent, "a refusal has its own message; it is not a failure");
    run(Mode.WRITER_FAILS, Outcome.WRITER_FAILED, 2);
    assertEquals(List.of("refused", "failing"), sent, "two failures since the last success: failures_before_alert");
    run(Mode.EMPTY_LIST, Outcome.REFUSED, 2);
    run(Mode.SUCCESS, Outcome.SUCCESS, 0);
    assertEquals(List.of("refused", "failing", "recovered", "changed"), sent);
    assertEquals(List.of("198.51.100.7/32"), held.stream().map(IpRange::toString).toList());
  }

  @Test
  void refusalsBeforeOneTransientFailureDoNotRaiseTheFailingAlert() throws Exception {
    run(Mode.SUCCESS, Outcome.SUCCESS, 0);
    run(Mode.EMPTY_LIST, Outcome.REFUSED, 0);
    run(Mode.EMPTY_LIST, Outcome.REFUSED, 0);
    run(Mode.SOURCE_FAILS, Outcome.SOURCE_FAILED, 1);
    assertFalse(sent.contains("failing"), "one transient failure is not 'failing': " + sent);
    run(Mode.SOURCE_FAILS, Outcome.SOURCE_FAILED, 2);
    assertTrue(sent.contains("failing"), sent.toString());
  }

  @Test
  void aFetchAbandonedForAStopIsRecordedButNeitherCountsNorAlerts() throws Exception {
    run(Mode.SOURCE_FAILS, Outcome.SOURCE_FAILED, 1);
    run(Mode.STOPPING, Outcome.ABANDONED, 1);
    run(Mode.STOPPING, Outcome.ABANDONED, 1);
    assertEquals(List.of(), sent, "a stop is not 'failing': " + sent);
    assertEquals("fetch abandoned: the daemon is stopping; nothing applied",
        store.loadStatus().orElseThrow().lastAttempt().message());
    run(Mode.SUCCESS, Outcome.SUCCESS, 0);
  }

  @Test
  void onlySourceWriterAndUnexpectedFailuresAreFailures() {
    assertEquals(List.of(Outcome.SOURCE_FAILED, Outcome.WRITER_FAILED, Outcome.ERROR),
        java.util.Arrays.stream(Outcome.values()).filter(Outcome::isFailure).toList());
    assertEquals(0, Outcome.SUCCESS.consecutiveFailures(4));
    assertEquals(4, Outcome.REFUSED.consecutiveFailures(4));
    assertEquals(5, Outcome.ERROR.consecutiveFailures(4));
  }
}
