package io.feishuipsync.sync;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.core.Addresses.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.daemon.ClusterSchema;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.Snapshot;
import io.feishuipsync.state.StateStore;
import io.feishuipsync.state.Status;
import io.feishuipsync.testbed.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A cluster run's state in a real PostgreSQL: the same records as the files, and never an older list. */
class ClusterStateTest {

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();

  @TempDir
  Path dir;

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  final Clock clock = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
  final GuardSettings guard = new GuardSettings(1, 1.0, Long.MAX_VALUE, Long.MAX_VALUE);
  String url;

  @BeforeEach
  void schema() throws Exception {
    url = db.newDatabase();
    try (Connection c = PostgresServer.connect(url)) {
      ClusterSchema.ensure(c);
    }
  }

  static AddressSource fetched(SortedSet<IpRange> list, Instant at) {
    return () -> new SourceList(list, "fake", at, 2);
  }

  /** One cluster run as the daemon makes it: one transaction, the list checked against the last applied one. */
  SyncResult clusterRun(String node, AddressSource source, FakeWriter cloud) throws Exception {
    try (Connection c = PostgresServer.connect(url)) {
      c.setAutoCommit(false);
      DatabaseState state = new DatabaseState(c, node);
      SyncResult r = new Syncer(new NotBackwards(source, state), state, List.of(cloud), guard, clock)
          .runOnce(new Syncer.Options(false, false));
      c.commit();
      return r;
    }
  }

  String column(String sql) throws Exception {
    try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aClusterRunRecordsTheSameSnapshotHistoryAndStatusAsTheStateDirectory() throws Exception {
    FakeWriter cloud = new FakeWriter("aws-sg:sg-1");
    SyncResult r = clusterRun("bastion-a", fetched(first(5), T0), cloud);
    assertEquals(SyncResult.Outcome.SUCCESS, r.outcome(), r.message());
    assertEquals(first(5), cloud.held);

    // The cluster run's list is stamped with the database's clock; the same stamp makes the same file text.
    Instant stamped;
    try (Connection c = PostgresServer.connect(url)) {
      stamped = new DatabaseState(c, "bastion-b").loadSnapshot().snapshot().orElseThrow().fetchedAt();
    }
    StateStore files = new StateStore(dir.resolve("state"));
    new Syncer(fetched(first(5), stamped), files, List.of(new FakeWriter("aws-sg:sg-1")), guard, clock)
        .runOnce(new Syncer.Options(false, false));
    assertEquals(Files.readString(dir.resolve("state/snapshot.json")), column("SELECT body FROM ipsync_snapshot"));
    assertEquals("bastion-a", column("SELECT node FROM ipsync_snapshot"));
    assertEquals(Files.readAllLines(dir.resolve("state/history.jsonl")).get(0),
        column("SELECT line FROM ipsync_history"));

    try (Connection c = PostgresServer.connect(url)) {
      DatabaseState state = new DatabaseState(c, "bastion-b");
      assertEquals(first(5), state.loadSnapshot().entries(), "every node sees the same last applied list");
      Status st = state.loadStatus().orElseThrow();
      assertEquals(WriterResult.Outcome.CHANGED, st.writers().get("aws-sg:sg-1").outcome());
      assertEquals(0, st.consecutiveFailures());
    }
    assertEquals("bastion-a", column("SELECT node FROM ipsync_status"));

    assertEquals(SyncResult.Outcome.SUCCESS, clusterRun("bastion-b", fetched(first(5), T0.plusSeconds(60)), cloud)
        .outcome());
    assertEquals("1", column("SELECT count(*) FROM ipsync_history"), "an unchanged list adds no history");
  }

  @Test
  void aNodeThatFetchedAnOlderListDoesNotRollTheCloudWriterBack() throws Exception {
    FakeWriter cloud = new FakeWriter("aws-pl:pl-1");
    int[] applies = new int[1];
    String[] newer = new String[1];
    // bastion-b begins its listing, and while it lists (stalled), bastion-a fetches and applies a newer list.
    AddressSource stalled = () -> {
      try {
        assertEquals(SyncResult.Outcome.SUCCESS, clusterRun("bastion-a", fetched(range(1, 8), T0), cloud).outcome());
        applies[0] = cloud.applies;
        newer[0] = column("SELECT fetched_at FROM ipsync_snapshot");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return new SourceList(range(1, 4), "fake", T0.plusSeconds(3600), 2);
    };
    SyncResult late = clusterRun("bastion-b", stalled, cloud);
    assertEquals(SyncResult.Outcome.ABANDONED, late.outcome(), late.message());
    assertFalse(late.outcome().isFailure(), "a newer list is in place: nobody failed");
    assertTrue(late.message().contains("is older than the one the cluster last applied"), late.message());
    assertEquals(range(1, 8), cloud.held, "the cloud target keeps the newer list, whatever bastion-b's clock said");
    assertEquals(applies[0], cloud.applies);
    assertEquals(newer[0], column("SELECT fetched_at FROM ipsync_snapshot"));
  }

  @Test
  void aLastListDatedAheadOfTheDatabasesClockIsAFailureThatCountsNotASilentAbandon() throws Exception {
    FakeWriter cloud = new FakeWriter("aws-pl:pl-1");
    assertEquals(SyncResult.Outcome.SUCCESS, clusterRun("bastion-a", fetched(range(1, 4), T0), cloud).outcome());
    // What a node whose clock ran 30 days ahead (or anyone with the role) leaves in the row.
    try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE ipsync_snapshot SET fetched_at = clock_timestamp() + interval '30 days'");
    }
    for (int run = 1; run <= 2; run++) {
      SyncResult r = clusterRun("bastion-b", fetched(range(1, 8), T0), cloud);
      assertEquals(SyncResult.Outcome.SOURCE_FAILED, r.outcome(), r.message());
      assertTrue(r.outcome().isFailure());
      assertTrue(r.message().contains("after the database's clock"), r.message());
      assertEquals(range(1, 4), cloud.held, "nothing applied");
      try (Connection c = PostgresServer.connect(url)) {
        assertEquals(run, new DatabaseState(c, "bastion-b").loadStatus().orElseThrow().consecutiveFailures(),
            "counted, so it alerts and shows in status");
      }
    }
  }

  @Test
  void savingAnOlderSnapshotIsRefusedAndChangesNothing() throws Exception {
    try (Connection c = PostgresServer.connect(url)) {
      DatabaseState state = new DatabaseState(c, "bastion-a");
      state.saveSnapshot(new Snapshot(first(3), T0.plusSeconds(5), "fake"));
      IOException e = assertThrows(IOException.class,
          () -> state.saveSnapshot(new Snapshot(first(1), T0, "fake")));
      assertTrue(e.getMessage().contains("not going back to an older one"), e.getMessage());
      assertEquals(first(3), state.loadSnapshot().entries());
    }
  }

  @Test
  void aSecondRunWaitsForTheRowLockOfTheFirst() throws Exception {
    try (Connection a = PostgresServer.connect(url); Connection b = PostgresServer.connect(url)) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      DatabaseState first = new DatabaseState(a, "bastion-a");
      assertEquals(Optional.empty(), first.lockLastApplied());
      first.saveSnapshot(new Snapshot(first(2), T0, "fake"));
      CompletableFuture<Optional<Instant>> second = CompletableFuture.supplyAsync(() -> {
        try {
          return new DatabaseState(b, "bastion-b").lockLastApplied();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      assertThrows(TimeoutException.class, () -> second.get(700, TimeUnit.MILLISECONDS), "it waits");
      a.commit();
      assertEquals(Optional.of(T0), second.get(10, TimeUnit.SECONDS), "then sees what the first applied");
      b.rollback();
    }
  }
}
