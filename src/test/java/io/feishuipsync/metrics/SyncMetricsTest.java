package io.feishuipsync.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncMetricsTest {

  @TempDir
  Path dir;

  static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  static SyncResult result(SyncResult.Outcome o, int added) {
    TreeSet<IpRange> a = new TreeSet<>();
    for (int i = 1; i <= added; i++) {
      a.add(IpRange.parse("198.51.100." + i));
    }
    return new SyncResult(o, o.name(), 10, a, new TreeSet<>(), o == SyncResult.Outcome.SUCCESS, false,
        List.of(new WriterResult("nftables:inet feishu_ipsync", WriterResult.Outcome.CHANGED, 10, added, 0,
            List.of(), null)), T, Duration.ofMillis(250), 3);
  }

  @Test
  void aClusterRunCountsApartAndLeavesTheNodesOwnSyncGaugesAlone() {
    SyncMetrics m = new SyncMetrics(Clock.fixed(T.plusSeconds(60), ZoneOffset.UTC));
    m.record(result(SyncResult.Outcome.SUCCESS, 2));
    m.recordCluster(new SyncResult(SyncResult.Outcome.WRITER_FAILED, "writer failed", 10, new TreeSet<>(),
        new TreeSet<>(), false, false, List.of(new WriterResult("aws-security-group:sg-1",
        WriterResult.Outcome.FAILED, 7, 0, 0, List.of(), "throttled")), T, Duration.ofMillis(250), 1));
    String text = m.scrape();
    assertTrue(text.contains("feishu_ipsync_cluster_runs_total{outcome=\"writer_failed\"} 1.0"), text);
    assertTrue(text.contains("feishu_ipsync_writer_entries{writer=\"aws-security-group:sg-1\"} 7.0"), text);
    assertTrue(text.contains("feishu_ipsync_last_attempt_outcome{outcome=\"success\"} 1.0"), text);
    assertTrue(text.contains("feishu_ipsync_syncs_total{outcome=\"success\"} 1.0"), text);
    assertTrue(!text.contains("feishu_ipsync_syncs_total{outcome=\"writer_failed\"}"), text);
  }

  @Test
  void exposesWhatOperatorsAlertOn() {
    SyncMetrics m = new SyncMetrics(Clock.fixed(T.plusSeconds(60), ZoneOffset.UTC));
    m.record(result(SyncResult.Outcome.SUCCESS, 2));
    m.record(result(SyncResult.Outcome.REFUSED, 0));
    String text = m.scrape();
    java.util.regex.Matcher last = java.util.regex.Pattern.compile(
        "(?m)^feishu_ipsync_last_success_timestamp_seconds (\\S+)$").matcher(text);
    assertTrue(last.find(), text);
    assertEquals(T.plusSeconds(60).getEpochSecond(), (long) Double.parseDouble(last.group(1)));
    assertTrue(text.contains("feishu_ipsync_writer_entries{writer=\"nftables:inet feishu_ipsync\"} 10.0"), text);
    assertTrue(text.contains("feishu_ipsync_changes_total{kind=\"added\"} 2.0"), text);
    assertTrue(text.contains("feishu_ipsync_guard_refusals_total 1.0"), text);
    assertTrue(text.contains("feishu_ipsync_last_attempt_outcome{outcome=\"refused\"} 1.0"), text);
    assertTrue(text.contains("feishu_ipsync_last_attempt_outcome{outcome=\"success\"} 0.0"), text);
    assertTrue(text.contains("feishu_ipsync_feishu_requests_total{outcome=\"ok\"} 6.0"), text);
    assertTrue(text.contains("feishu_ipsync_sync_duration_seconds_count 2"), text);
    assertTrue(text.contains("feishu_ipsync_list_age_seconds 0.0"), text);
  }

  @Test
  void listAgeGrowsFromTheRestoredSnapshot() {
    SyncMetrics m = new SyncMetrics(Clock.fixed(T.plusSeconds(3600), ZoneOffset.UTC));
    m.restore(new io.feishuipsync.state.Snapshot(new TreeSet<>(), T, "x"), T, 0);
    assertTrue(m.scrape().contains("feishu_ipsync_list_age_seconds 3600.0"), m.scrape());
  }

  @Test
  void servedOverHttpAndWrittenAsATextfile() throws Exception {
    SyncMetrics m = new SyncMetrics(Clock.systemUTC());
    m.record(result(SyncResult.Outcome.SUCCESS, 1));
    try (MetricsServer server = new MetricsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), m)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("feishu_ipsync_syncs_total{outcome=\"success\"} 1.0"), r.body());
    }
    Path prom = dir.resolve("feishu-ipsync.prom");
    m.writeTextfile(prom, false, dir);
    assertTrue(Files.readString(prom).contains("# TYPE feishu_ipsync_last_success_timestamp_seconds gauge"));
  }
}
