package io.feishuipsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.properties.Ranges;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of a run, for random lists over both families: what the merge keeps, what pending removals do over a
 * sequence of runs, and that a refusing guard leaves the writer as it was.
 */
class SyncProperties {

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  /** Lab ranges exempt, and no prefix limit: the properties are about the merge, not the policy. */
  static final EntryPolicy ANY = new EntryPolicy(1, 1, false, List.of(), "validation");

  @Provide
  Arbitrary<SortedSet<IpRange>> list() {
    return Ranges.lists(30);
  }

  @Provide
  Arbitrary<List<SortedSet<IpRange>>> sequence() {
    return Ranges.lists(12).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Boolean>> answered() {
    return Arbitraries.frequency(net.jqwik.api.Tuple.of(4, true), net.jqwik.api.Tuple.of(1, false)).list()
        .ofSize(8);
  }

  static ListMerge.Answer fresh(String label, SortedSet<IpRange> list, Instant at) {
    return new ListMerge.Answer(label, new SourceList(list, label, at, 1), null);
  }

  static ListMerge.Result merge(List<ListMerge.Answer> answers, Optional<Snapshot> snapshot,
      SortedSet<IpRange> own, RemovalSettings removal, Instant now) {
    return ListMerge.plan(new ListMerge.Input(answers, snapshot, Optional.empty(), own, removal,
        GuardSettings.DEFAULTS, true, false, now));
  }

  static boolean covered(SortedSet<IpRange> desired, IpRange r) {
    return desired.stream().anyMatch(d -> d.contains(r));
  }

  @Property(tries = 500)
  void theMergeNeverLosesAnAddressAFreshSourceListedNorAnOwnEntry(@ForAll("list") SortedSet<IpRange> a,
      @ForAll("list") SortedSet<IpRange> b, @ForAll("list") SortedSet<IpRange> before,
      @ForAll("list") SortedSet<IpRange> own, @ForAll boolean bAnswers) {
    RemovalSettings removal = new RemovalSettings(2, Duration.ofHours(1));
    ListMerge.Result first = merge(List.of(fresh("a", before, T0), fresh("b", before, T0)), Optional.empty(),
        own, removal, T0);
    List<ListMerge.Answer> answers = List.of(fresh("a", a, T0.plusSeconds(60)), bAnswers
        ? fresh("b", b, T0.plusSeconds(60)) : new ListMerge.Answer("b", null, "b: down"));
    ListMerge.Result second = merge(answers, Optional.of(first.snapshot()), own, removal, T0.plusSeconds(60));
    for (IpRange r : a) {
      assertTrue(covered(second.desired(), r), "listed by a: " + r);
    }
    for (IpRange r : bAnswers ? b : before) {
      assertTrue(covered(second.desired(), r), "b's fresh or last good list: " + r);
    }
    for (IpRange r : own) {
      assertTrue(covered(second.desired(), r), "own entry: " + r);
    }
    assertEquals(AddressSets.withoutCovered(second.desired()), second.desired(), "no entry covers another");
  }

  /**
   * Over a sequence of runs of one source (answering or not), with removals confirmed {@code confirmations} times
   * over {@code graceMinutes}: a listed address is always applied, and one that has been missing for that many
   * answered runs and that long since it first went missing is not applied by an answered run.
   */
  @Property(tries = 300)
  void pendingRemovalsNeverKeepAnAddressPastItsGraceNorRemoveAListedOne(@ForAll("sequence")
      List<SortedSet<IpRange>> lists, @ForAll("answered") List<Boolean> answered,
      @ForAll @IntRange(min = 1, max = 3) int confirmations, @ForAll @IntRange(min = 0, max = 90) int graceMinutes,
      @ForAll @IntRange(min = 1, max = 60) int minutesBetweenRuns) {
    RemovalSettings removal = new RemovalSettings(confirmations, Duration.ofMinutes(graceMinutes));
    Optional<Snapshot> snapshot = Optional.empty();
    Map<IpRange, Instant> missingSince = new HashMap<>();
    Map<IpRange, Integer> misses = new HashMap<>();
    SortedSet<IpRange> everListed = new TreeSet<>();
    for (int i = 0; i < lists.size(); i++) {
      Instant now = T0.plus(Duration.ofMinutes((long) i * minutesBetweenRuns));
      boolean answers = i == 0 || answered.get(i);
      SortedSet<IpRange> list = AddressSets.withoutCovered(lists.get(i));
      ListMerge.Answer answer = answers ? fresh("feishu", list, now) : new ListMerge.Answer("feishu", null, "down");
      ListMerge.Result r = merge(List.of(answer), snapshot, new TreeSet<>(), removal, now);
      if (answers) {
        for (IpRange l : list) {
          assertTrue(covered(r.desired(), l), "run " + i + ": listed " + l + " is applied");
          missingSince.remove(l);
          misses.remove(l);
        }
        everListed.addAll(list);
        for (IpRange gone : everListed) {
          if (!list.contains(gone)) {
            missingSince.putIfAbsent(gone, now);
            misses.merge(gone, 1, Integer::sum);
          }
        }
      }
      // A run no source answered changes nothing (the last good list is held whole): only answered runs remove.
      for (Map.Entry<IpRange, Instant> m : answers ? missingSince.entrySet() : Map.<IpRange, Instant>of().entrySet()) {
        boolean due = misses.get(m.getKey()) >= confirmations
            && !now.isBefore(m.getValue().plus(removal.grace()));
        if (due) {
          assertFalse(r.desired().contains(m.getKey()), "run " + i + ": " + m.getKey() + " missing since "
              + m.getValue() + " (" + misses.get(m.getKey()) + " misses) is still applied");
        }
      }
      snapshot = Optional.of(r.snapshot());
    }
  }

  /** A guard that refuses leaves the writer exactly as it was; one that allows makes it hold the list. */
  @Property(tries = 200)
  void aRefusingGuardLeavesTheWriterUntouched(@ForAll("list") SortedSet<IpRange> first,
      @ForAll("list") SortedSet<IpRange> next, @ForAll @IntRange(min = 0, max = 100) int removalPercent,
      @ForAll @IntRange(min = 0, max = 300) int maxAdded) throws Exception {
    Assume.that(!first.isEmpty());
    Path dir = Files.createTempDirectory("props");
    try {
      FakeSource source = new FakeSource();
      FakeWriter writer = new FakeWriter("w");
      GuardSettings guard = new GuardSettings(1, removalPercent / 100.0, maxAdded, maxAdded);
      source.list = AddressSets.withoutCovered(first);
      Syncer syncer = new Syncer(new Senders(List.of(new Senders.Sender("feishu", source, ANY)), new TreeSet<>(),
          RemovalSettings.IMMEDIATE), new StateStore(dir), List.of(writer), guard, new MutableClock());
      assertEquals(SyncResult.Outcome.SUCCESS, syncer.runOnce(new Syncer.Options(false, true)).outcome());
      SortedSet<IpRange> held = new TreeSet<>(writer.held);
      int applies = writer.applies;
      source.list = AddressSets.withoutCovered(next);
      SyncResult r = syncer.runOnce(new Syncer.Options(false, false));
      if (r.outcome() == SyncResult.Outcome.REFUSED) {
        assertEquals(held, writer.held, r.message());
        assertEquals(applies, writer.applies, r.message());
        assertEquals(held, new StateStore(dir).loadSnapshot().entries(), "the snapshot is the old list");
      } else {
        assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(source.list, writer.held);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A source failing is never a reason to drop anything: every run of a failed source keeps its last list. */
  @Property(tries = 200)
  void aFailedSourceKeepsItsLastGoodListWhole(@ForAll("list") SortedSet<IpRange> last) {
    RemovalSettings removal = RemovalSettings.IMMEDIATE;
    ListMerge.Result first = merge(List.of(fresh("feishu", last, T0)), Optional.empty(), new TreeSet<>(), removal,
        T0);
    ListMerge.Result down = merge(List.of(new ListMerge.Answer("feishu", null, "down")),
        Optional.of(first.snapshot()), new TreeSet<>(), removal, T0.plusSeconds(3600));
    assertEquals(first.desired(), down.desired());
    assertTrue(down.change().isEmpty());
    assertEquals(new ArrayList<>(first.snapshot().entries()), new ArrayList<>(down.snapshot().entries()));
  }
}
