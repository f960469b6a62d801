package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.LastGood;
import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SourceReport;
import io.feishuipsync.state.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ListMergeTest {

  static final Instant BEFORE = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  static ListMerge.Answer ok(String label, SortedSet<IpRange> list) {
    return new ListMerge.Answer(label, new SourceList(list, "https://" + label, NOW, 2), null);
  }

  static ListMerge.Answer failed(String label) {
    return new ListMerge.Answer(label, null, "HTTP 503");
  }

  static Snapshot snapshot(Map<String, SortedSet<IpRange>> lists, List<PendingRemoval> pending,
      SortedSet<IpRange> own) {
    SortedSet<IpRange> all = new TreeSet<>(own);
    java.util.LinkedHashMap<String, LastGood> good = new java.util.LinkedHashMap<>();
    lists.forEach((label, l) -> {
      all.addAll(l);
      good.put(label, new LastGood(l, BEFORE, "https://" + label));
    });
    pending.forEach(p -> all.add(p.address()));
    return new Snapshot(all, BEFORE, "x", good, pending);
  }

  static ListMerge.Result plan(List<ListMerge.Answer> answers, Snapshot s, SortedSet<IpRange> own,
      RemovalSettings removal, boolean force) {
    return ListMerge.plan(new ListMerge.Input(answers, Optional.ofNullable(s), Optional.empty(), own, removal,
        GuardSettings.DEFAULTS, force, false, NOW));
  }

  @Test
  void ownEntriesJoinTheListButAnEmptyFetchedListIsStillRefused() {
    var own = ips("10.0.0.0/24");
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 4))), null, own, RemovalSettings.IMMEDIATE, false);
    assertNull(r.refusal());
    assertTrue(r.desired().containsAll(own) && r.desired().containsAll(range(1, 4)));
    assertEquals(List.of("feishu", "config"), r.reports().stream().map(SourceReport::label).toList());
    assertEquals(range(1, 4), r.snapshot().sources().get("feishu").entries(), "own entries are not Feishu's");

    ListMerge.Result empty = plan(List.of(ok("feishu", ips())), r.snapshot(), own, RemovalSettings.IMMEDIATE, true);
    assertTrue(empty.refusal().contains("empty list"), empty.refusal());
  }

  /**
   * Found by the mutation run (`several = answers > 1` as `>= 1` survived): with one source a refusal is the
   * plan's own sentence, with no source label in front of it.
   */
  @Test
  void aLoneSourcesRefusalCarriesNoLabel() {
    assertEquals("the source returned an empty list; applying it would shut out every callback",
        plan(List.of(ok("feishu", ips())), null, ips(), RemovalSettings.IMMEDIATE, false).refusal());
  }

  @Test
  void removingOwnEntriesIsAConfigEditNotAGuardCase() {
    var own = range(100, 120);
    Snapshot s = snapshot(Map.of("feishu", range(1, 4)), List.of(), own);
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 4))), s, ips(), RemovalSettings.IMMEDIATE, false);
    assertNull(r.refusal(), "21 of 25 entries go, but none of them Feishu's");
    assertEquals(own, r.change().removed());
    assertEquals(List.of("config"), r.origins().get(range(100, 100).first()));
  }

  @Test
  void anEmptyAnswerFromOneSourceIsRefusedNamingItWhileTheOtherIsFine() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 4), "lark", range(10, 12)), List.of(), ips());
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 4)), ok("lark", ips())), s, ips(),
        RemovalSettings.IMMEDIATE, true);
    assertEquals("lark: the source returned an empty list; applying it would shut out every callback", r.refusal());
  }

  @Test
  void aLargeRemovalFromOneSourceIsRefusedEvenWhenTheUnionBarelyShrinks() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 100), "lark", range(200, 203)), List.of(), ips());
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 100)), ok("lark", range(200, 200))), s, ips(),
        RemovalSettings.IMMEDIATE, false);
    assertTrue(r.refusal().startsWith("lark: the change removes 3 of its 4 entries"), r.refusal());
    assertNull(plan(List.of(ok("feishu", range(1, 100)), ok("lark", range(200, 200))), s, ips(),
        RemovalSettings.IMMEDIATE, true).refusal(), "force lifts it");
  }

  /** Found by the mutation run: the exact boundary and the figures of the per-source ratio were not pinned. */
  @Test
  void aSourceMayLoseExactlyTheRatioAndTheRefusalGivesItsFigures() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 100), "lark", range(200, 203)), List.of(), ips());
    assertNull(plan(List.of(ok("feishu", range(1, 100)), ok("lark", range(200, 201))), s, ips(),
        RemovalSettings.IMMEDIATE, false).refusal(), "2 of 4 is exactly max_removal_ratio 50%: allowed");
    Snapshot five = snapshot(Map.of("feishu", range(1, 100), "lark", range(200, 204)), List.of(), ips());
    assertEquals("lark: the change removes 3 of its 5 entries (60%), more than guard.max_removal_ratio 50%; rerun"
        + " with --force if this is expected", plan(List.of(ok("feishu", range(1, 100)), ok("lark",
        range(200, 201))), five, ips(), RemovalSettings.IMMEDIATE, false).refusal());
  }

  @Test
  void aFailedSourceKeepsItsLastGoodListAndItsAge() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 4), "lark", range(10, 12)), List.of(), ips());
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 3)), failed("lark")), s, ips(),
        RemovalSettings.IMMEDIATE, false);
    assertNull(r.refusal());
    assertTrue(r.desired().containsAll(range(10, 12)));
    assertEquals(ips("198.51.100.4"), r.change().removed());
    SourceReport lark = r.reports().get(1);
    assertEquals(SourceReport.State.STALE, lark.state());
    assertEquals(BEFORE, lark.fetchedAt());
    assertEquals(BEFORE, r.snapshot().sources().get("lark").fetchedAt(), "its age is not reset");
    assertEquals(NOW, r.snapshot().sources().get("feishu").fetchedAt());
  }

  @Test
  void heldRemovalsDoNotCountInTheRemovalGuardAndStayApplied() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 10)), List.of(), ips());
    RemovalSettings grace = new RemovalSettings(2, Duration.ofHours(1));
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 2))), s, ips(), grace, false);
    assertNull(r.refusal(), "8 of 10 missing, but none goes now");
    assertEquals(range(1, 10), r.desired());
    assertEquals(8, r.snapshot().pending().size());
    assertEquals(range(1, 2), r.snapshot().sources().get("feishu").entries());

    ListMerge.Result prune = ListMerge.plan(new ListMerge.Input(List.of(ok("feishu", range(1, 2))),
        Optional.of(s), Optional.empty(), ips(), grace, GuardSettings.DEFAULTS, false, true, NOW));
    assertTrue(prune.refusal().contains("removes 8 of 10"), "pruned removals happen now, so they are judged");
  }

  @Test
  void aRemovalThatWaitedOutItsGraceKeepsTheNameOfItsSource() {
    Snapshot s = snapshot(Map.of("feishu", range(1, 3), "lark", range(10, 12)), List.of(), ips());
    RemovalSettings twice = new RemovalSettings(2, Duration.ZERO);
    ListMerge.Result first = plan(List.of(ok("feishu", range(1, 3)), ok("lark", range(10, 11))), s, ips(), twice,
        false);
    assertEquals("lark", first.snapshot().pending().get(0).source());
    ListMerge.Result second = plan(List.of(ok("feishu", range(1, 3)), ok("lark", range(10, 11))), first.snapshot(),
        ips(), twice, false);
    assertEquals(range(12, 12), second.change().removed());
    assertEquals(List.of("lark"), second.origins().get(range(12, 12).first()));
  }

  @Test
  void aSnapshotOfAnEarlierVersionIsTheFirstSourcesList() {
    Snapshot old = new Snapshot(range(1, 4), BEFORE, "https://open.feishu.cn");
    ListMerge.Result r = plan(List.of(ok("feishu", range(1, 3))), old, ips(), RemovalSettings.IMMEDIATE, false);
    assertEquals(ips("198.51.100.4"), r.change().removed());
    assertNull(r.refusal());
  }
}
