package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dry run plans for every writer that can run, whatever the others; a first sync creates rather than drifts. */
class SyncerDryRunAndCreationTest {

  @TempDir
  Path dir;

  FakeSource source = new FakeSource();
  FakeWriter a = new FakeWriter("a");
  FakeWriter b = new FakeWriter("b");
  StateStore store;
  Syncer syncer;

  @BeforeEach
  void setUp() {
    store = new StateStore(dir.resolve("state"));
    syncer = new Syncer(source, store, List.of(a, b), GuardSettings.DEFAULTS,
        Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
    source.list = ips("192.0.2.1", "192.0.2.2");
  }

  @Test
  void dryRunShowsTheWritersThatCanRunBesideTheOneThatCannot() {
    a.failCheck = "directory /etc/nginx does not exist; create it, or point path elsewhere";

    SyncResult r = syncer.runOnce(new Syncer.Options(true, false));

    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome(), r.message());
    assertEquals(5, r.outcome().exitCode());
    assertEquals(source.list, r.list());
    assertEquals(WriterResult.Outcome.FAILED, r.writers().get(0).outcome());
    assertEquals("a: " + a.failCheck, r.writers().get(0).error());
    assertEquals(new WriterResult("b", WriterResult.Outcome.WOULD_CHANGE, 0, 2, 0, List.of(), null),
        r.writers().get(1));
    assertTrue(r.message().startsWith("dry run: 2 entries, +2 -0, nothing applied; a writer cannot run here, and a"
        + " real sync applies nothing until it is fixed: a: directory /etc/nginx"), r.message());
    assertEquals(0, a.applies + b.applies);
    assertFalse(Files.exists(dir.resolve("state")), "a dry run writes nothing");
  }

  @Test
  void dryRunShowsAWriterThatCannotBeReadBesideTheOthers() {
    Writer unreadable = new Writer() {
      @Override
      public String name() {
        return "c";
      }

      @Override
      public void check() {}

      @Override
      public Holding read() throws WriterException {
        throw new WriterException("c", "cannot read the ruleset");
      }

      @Override
      public void apply(SortedSet<IpRange> desired, ChangeSet change) {
        throw new AssertionError("a dry run applies nothing");
      }
    };
    syncer = new Syncer(source, store, List.of(a, unreadable), GuardSettings.DEFAULTS, Clock.systemUTC());

    SyncResult r = syncer.runOnce(new Syncer.Options(true, false));

    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome(), r.message());
    assertEquals(WriterResult.Outcome.WOULD_CHANGE, r.writers().get(0).outcome());
    assertEquals("c: cannot read the ruleset", r.writers().get(1).error());
  }

  @Test
  void realSyncStillAppliesNothingAnywhereWhenOneWriterCannotRun() {
    a.failCheck = "directory /etc/nginx does not exist; create it, or point path elsewhere";

    SyncResult r = syncer.runOnce(new Syncer.Options(false, false));

    assertEquals(SyncResult.Outcome.WRITER_FAILED, r.outcome());
    assertTrue(r.message().startsWith("nothing applied, a writer cannot run here: a: directory"), r.message());
    assertEquals(WriterResult.Outcome.SKIPPED, r.writers().get(1).outcome());
    assertEquals(0, b.applies);
    assertTrue(b.held.isEmpty());
    assertTrue(store.loadSnapshot().snapshot().isEmpty());
  }

  @Test
  void firstSyncSaysCreatedAndALaterLossIsDrift() {
    a.drift.add(Holding.missing("table inet feishu_ipsync"));

    SyncResult first = syncer.runOnce(new Syncer.Options(false, false));

    assertEquals(SyncResult.Outcome.SUCCESS, first.outcome(), first.message());
    WriterResult created = first.writers().get(0);
    assertTrue(created.created());
    assertEquals(List.of(), created.drift(), "no one drifted: the table was not there yet");
    assertFalse(first.writers().get(1).created(), "b held nothing but lacked nothing either");

    // Someone deletes the table after the first sync filled it: that is drift, and says so.
    a.held.clear();
    a.drift.add(Holding.missing("table inet feishu_ipsync"));
    SyncResult later = syncer.runOnce(new Syncer.Options(false, false));

    assertEquals(SyncResult.Outcome.SUCCESS, later.outcome(), later.message());
    assertFalse(later.writers().get(0).created());
    assertEquals(List.of("table inet feishu_ipsync is missing"), later.writers().get(0).drift());
  }

  @Test
  void firstDryRunSaysItWouldCreate() {
    a.drift.add(Holding.missing("chain FEISHU-IPSYNC"));

    SyncResult r = syncer.runOnce(new Syncer.Options(true, false));

    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(new WriterResult("a", WriterResult.Outcome.WOULD_CHANGE, 0, 2, 0, List.of(), null, true),
        r.writers().get(0));
  }
}
