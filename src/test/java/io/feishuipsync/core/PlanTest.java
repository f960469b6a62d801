package io.feishuipsync.core;

import static io.feishuipsync.core.Addresses.ips;
import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanTest {

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
    // Found by the mutation run: the figures were not pinned, nor the boundary.
    assertEquals("the change removes 6 of 10 current entries (60%), more than guard.max_removal_ratio 50%; rerun"
        + " with --force if this is expected", p.refusal());
    assertTrue(Plan.of(Optional.of(range(1, 10)), range(1, 5), GuardSettings.DEFAULTS, false).allowed(),
        "5 of 10 is exactly the ratio: allowed");
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

  @Test
  void firstRunOpeningMoreThanTheAddressGuardIsRefusedUnlessForced() {
    Plan p = Plan.of(Optional.empty(), ips("0.0.0.0/1", "128.0.0.0/1"), GuardSettings.DEFAULTS, false);
    assertEquals("the change opens 4294967296 IPv4 addresses, more than guard.max_added_v4_addresses 65536;"
        + " rerun with --force if this is expected", p.refusal());
    assertTrue(Plan.of(Optional.empty(), ips("0.0.0.0/1", "128.0.0.0/1"), GuardSettings.DEFAULTS, true).allowed());
  }

  @Test
  void addressGuardCountsWhatIsNewNotWhatIsListed() {
    // One /16 is exactly the default limit; a second one beside it is not, though it is one entry more.
    assertTrue(Plan.of(Optional.empty(), ips("198.18.0.0/16"), GuardSettings.DEFAULTS, false).allowed());
    assertFalse(Plan.of(Optional.of(ips("198.51.100.1")), ips("198.51.100.1", "198.18.0.0/16", "198.19.0.0/16"),
        GuardSettings.DEFAULTS, false).allowed());
    // Adding 198.19.0.0/16 beside 198.18.0.0/16 opens another 65536: allowed, exactly at the limit.
    assertTrue(Plan.of(Optional.of(ips("198.18.0.0/16")), ips("198.18.0.0/16", "198.19.0.0/16"),
        GuardSettings.DEFAULTS, false).allowed());
    assertFalse(Plan.of(Optional.empty(), range(1, 20), new GuardSettings(1, 0.5, 19, 1), false).allowed());
  }

  @Test
  void ipv6AdditionsAreGuardedInSlash64Networks() {
    Plan p = Plan.of(Optional.empty(), ips("2001:db8::/32"), GuardSettings.DEFAULTS, false);
    assertEquals("the change opens 4294967296 IPv6 /64 networks, more than guard.max_added_v6_networks 65536;"
        + " rerun with --force if this is expected", p.refusal());
    assertTrue(Plan.of(Optional.empty(), ips("2001:db8::/48"), GuardSettings.DEFAULTS, false).allowed());
    assertFalse(Plan.of(Optional.empty(), ips("2001:db8::1", "2001:db8:0:1::1"), new GuardSettings(1, 0.5, 10, 1),
        false).allowed());
  }
}
