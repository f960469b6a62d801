package io.feishuipsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PlanTest {

  static SortedSet<IpRange> ips(String... s) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (String x : s) {
      out.add(IpRange.parse(x));
    }
    return out;
  }

  /** 198.51.100.1 .. 198.51.100.n */
  static SortedSet<IpRange> range(int from, int to) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = from; i <= to; i++) {
      out.add(IpRange.parse("198.51.100." + i));
    }
    return out;
  }

  @Test
  void diffListsAddedAndRemoved() {
    Plan p = Plan.of(Optional.of(ips("192.0.2.1", "192.0.2.2")), ips("192.0.2.2", "192.0.2.3"),
        GuardSettings.DEFAULTS, false);
    assertEquals(ips("192.0.2.3"), p.change().added());
    assertEquals(ips("192.0.2.1"), p.change().removed());
    assertTrue(p.allowed());
  }

  @Test
  void emptyListIsRefusedEvenWhenForced() {
    Plan p = Plan.of(Optional.of(ips("192.0.2.1")), ips(), GuardSettings.DEFAULTS, true);
    assertFalse(p.allowed());
    assertTrue(p.refusal().contains("empty"), p.refusal());
  }

  @Test
  void emptyListIsRefusedOnFirstRun() {
    assertFalse(Plan.of(Optional.empty(), ips(), GuardSettings.DEFAULTS, false).allowed());
  }

  @Test
  void fewerThanMinEntriesIsRefusedEvenWhenForced() {
    Plan p = Plan.of(Optional.empty(), range(1, 4), new GuardSettings(5, 0.5), true);
    assertFalse(p.allowed());
    assertTrue(p.refusal().contains("guard.min_entries 5"), p.refusal());
  }

  @Test
  void shrinkBeyondLimitIsRefused() {
    Plan p = Plan.of(Optional.of(range(1, 10)), range(1, 4), GuardSettings.DEFAULTS, false);
    assertFalse(p.allowed());
    assertTrue(p.refusal().contains("removes 6 of 10"), p.refusal());
    assertTrue(p.refusal().contains("--force"), p.refusal());
  }

  @Test
  void shrinkAtExactlyTheLimitIsAllowed() {
    assertTrue(Plan.of(Optional.of(range(1, 10)), range(1, 5), GuardSettings.DEFAULTS, false).allowed());
  }

  @Test
  void shrinkBeyondLimitIsAllowedWhenForced() {
    Plan p = Plan.of(Optional.of(range(1, 10)), range(1, 1), GuardSettings.DEFAULTS, true);
    assertNull(p.refusal());
    assertEquals(9, p.change().removed().size());
  }

  @Test
  void replacingEverythingCountsAsRemovingEverything() {
    assertFalse(Plan.of(Optional.of(range(1, 10)), range(11, 20), GuardSettings.DEFAULTS, false).allowed());
  }

  @Test
  void growthIsNeverRefused() {
    assertTrue(Plan.of(Optional.of(range(1, 2)), range(1, 200), GuardSettings.DEFAULTS, false).allowed());
  }

  @Test
  void unknownBaselineAllowsAnyNonEmptyList() {
    Plan p = Plan.of(Optional.empty(), range(1, 3), GuardSettings.DEFAULTS, false);
    assertTrue(p.allowed());
    assertFalse(p.baselineKnown());
    assertEquals(3, p.change().added().size());
  }

  @Test
  void zeroRatioRefusesAnyRemoval() {
    assertFalse(Plan.of(Optional.of(range(1, 100)), range(1, 99), new GuardSettings(1, 0.0), false).allowed());
    assertTrue(Plan.of(Optional.of(range(1, 100)), range(1, 101), new GuardSettings(1, 0.0), false).allowed());
  }
}
