package io.feishuipsync.metrics;

import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.core.SyncResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SourceMetricsTest {

  static SyncResult partial(Instant now, List<SourceReport> sources) {
    return new SyncResult(SyncResult.Outcome.PARTIAL, "partial", 5, range(1, 2), new TreeSet<>(), true, false,
        List.of(), now, Duration.ofMillis(10), 4, range(1, 5), sources);
  }

  @Test
  void eachSourceHasItsEntriesAndTheAgeOfItsList() {
    MutableClock clock = new MutableClock();
    SyncMetrics m = new SyncMetrics(clock);
    Instant now = clock.instant();
    m.record(partial(now, List.of(
        new SourceReport("feishu", SourceReport.State.FRESH, 3, now, null),
        new SourceReport("lark", SourceReport.State.STALE, 2, now.minus(Duration.ofHours(50)), "HTTP 503"),
        new SourceReport("config", SourceReport.State.CONFIG, 1, null, null))));
    String text = m.scrape();
    assertTrue(text.contains("feishu_ipsync_source_entries{source=\"lark\"} 2.0"), text);
    assertTrue(text.contains("feishu_ipsync_source_entries{source=\"config\"} 1.0"), text);
    assertTrue(text.contains("feishu_ipsync_source_age_seconds{source=\"lark\"} 180000.0"), text);
    assertFalse(text.contains("feishu_ipsync_source_age_seconds{source=\"config\"}"), text);
    assertTrue(text.contains("feishu_ipsync_last_attempt_outcome{outcome=\"partial\"} 1.0"), text);
  }

  @Test
  void aRestartRestoresEachSourcesAgeFromTheSnapshot() {
    MutableClock clock = new MutableClock();
    SyncMetrics m = new SyncMetrics(clock);
    java.util.Map<String, io.feishuipsync.core.LastGood> sources = new java.util.LinkedHashMap<>();
    sources.put("feishu", new io.feishuipsync.core.LastGood(range(1, 3), clock.instant().minusSeconds(60), "a"));
    sources.put("lark", new io.feishuipsync.core.LastGood(range(10, 11), clock.instant().minusSeconds(7200), "b"));
    TreeSet<io.feishuipsync.core.IpRange> all = new TreeSet<>(range(1, 3));
    all.addAll(range(10, 11));
    all.add(io.feishuipsync.core.IpRange.parse("10.0.0.1"));
    m.restore(new io.feishuipsync.state.Snapshot(all, clock.instant(), "a, b", sources, List.of()), null, 0);
    String text = m.scrape();
    assertTrue(text.contains("feishu_ipsync_source_age_seconds{source=\"lark\"} 7200.0"), text);
    assertTrue(text.contains("feishu_ipsync_source_entries{source=\"config\"} 1.0"), text);
  }

  @Test
  void aSingleSourceAddsNoSourceMetrics() {
    MutableClock clock = new MutableClock();
    SyncMetrics m = new SyncMetrics(clock);
    m.record(partial(clock.instant(), List.of(
        new SourceReport("feishu", SourceReport.State.FRESH, 3, clock.instant(), null))));
    assertFalse(m.scrape().contains("feishu_ipsync_source_"));
  }
}
