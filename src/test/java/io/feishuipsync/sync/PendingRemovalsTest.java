package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.core.PendingRemoval;
import io.feishuipsync.core.RemovalSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingRemovalsTest {

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final RemovalSettings THREE_AND_AN_HOUR = new RemovalSettings(3, Duration.ofHours(1));

  @Test
  void byDefaultAMissingAddressGoesAtTheFirstFetchWithoutIt() {
    PendingRemovals p = PendingRemovals.advance(ips("192.0.2.1", "192.0.2.2"), ips("192.0.2.1"), List.of(),
        RemovalSettings.IMMEDIATE, T0, true, false);
    assertEquals(ips("192.0.2.2"), p.removed());
    assertEquals(ips(), p.kept());
    assertEquals(List.of(), p.pending());
  }

  @Test
  void anAddressGoesOnlyAfterEnoughMissesAndItsGrace() {
    var applied = ips("192.0.2.1", "192.0.2.2");
    var listed = ips("192.0.2.1");
    PendingRemovals first = PendingRemovals.advance(applied, listed, List.of(), THREE_AND_AN_HOUR, T0, true, false);
    assertEquals(ips("192.0.2.2"), first.kept());
    assertEquals(List.of(new PendingRemoval(ips("192.0.2.2").first(), T0, 1)), first.pending());

    PendingRemovals third = PendingRemovals.advance(applied, listed,
        PendingRemovals.advance(applied, listed, first.pending(), THREE_AND_AN_HOUR, T0.plusSeconds(60), true, false)
            .pending(), THREE_AND_AN_HOUR, T0.plusSeconds(120), true, false);
    assertEquals(ips("192.0.2.2"), third.kept(), "three misses, but the hour has not passed");
    assertEquals(3, third.pending().get(0).misses());
    assertEquals(T0, third.pending().get(0).missingSince(), "a later miss does not restart the grace");

    PendingRemovals later = PendingRemovals.advance(applied, listed, third.pending(), THREE_AND_AN_HOUR,
        T0.plus(Duration.ofHours(1)), true, false);
    assertEquals(ips("192.0.2.2"), later.removed());
    assertEquals(List.of(), later.pending());
  }

  @Test
  void graceAloneIsNotEnoughWithoutTheConfirmations() {
    List<PendingRemoval> once = List.of(new PendingRemoval(ips("192.0.2.2").first(), T0, 1));
    PendingRemovals p = PendingRemovals.advance(ips("192.0.2.1", "192.0.2.2"), ips("192.0.2.1"), once,
        THREE_AND_AN_HOUR, T0.plus(Duration.ofDays(2)), true, false);
    assertEquals(ips("192.0.2.2"), p.kept());
    assertEquals(2, p.pending().get(0).misses());
  }

  @Test
  void anAddressThatComesBackIsNoLongerPending() {
    List<PendingRemoval> before = List.of(new PendingRemoval(ips("192.0.2.2").first(), T0, 2));
    PendingRemovals p = PendingRemovals.advance(ips("192.0.2.1", "192.0.2.2"), ips("192.0.2.1", "192.0.2.2"),
        before, THREE_AND_AN_HOUR, T0.plusSeconds(60), true, false);
    assertEquals(List.of(), p.pending());
    assertEquals(ips(), p.kept());
    assertEquals(ips(), p.removed());
  }

  @Test
  void aRunWithoutAnyFetchConfirmsNothingAndRemovesNothing() {
    List<PendingRemoval> before = List.of(new PendingRemoval(ips("192.0.2.2").first(), T0, 2));
    PendingRemovals p = PendingRemovals.advance(ips("192.0.2.1", "192.0.2.2"), ips("192.0.2.1"), before,
        new RemovalSettings(3, Duration.ZERO), T0.plus(Duration.ofDays(1)), false, false);
    assertEquals(ips("192.0.2.2"), p.kept());
    assertEquals(before, p.pending());
  }

  @Test
  void pruneLetsEveryPendingAddressGoNow() {
    PendingRemovals p = PendingRemovals.advance(ips("192.0.2.1", "192.0.2.2", "192.0.2.3"), ips("192.0.2.1"),
        List.of(new PendingRemoval(ips("192.0.2.2").first(), T0, 1)), THREE_AND_AN_HOUR, T0.plusSeconds(1), true,
        true);
    assertEquals(ips("192.0.2.2", "192.0.2.3"), p.removed());
    assertEquals(List.of(), p.pending());
  }
}
