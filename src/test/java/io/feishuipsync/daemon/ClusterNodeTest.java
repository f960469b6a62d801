package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ClusterSettings;
import io.feishuipsync.config.ScheduleSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.testbed.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One node's clustered scheduler against a real PostgreSQL: it joins (schema, Quartz's scheduler state), runs the
 * cluster job, reports a database outage once, and runs again by itself when the database is back.
 */
class ClusterNodeTest {

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();

  final List<Boolean> reported = Collections.synchronizedList(new ArrayList<>());
  final List<String> reasons = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger runs = new AtomicInteger();

  ClusterNode node(String url, String password) {
    return node(url, password, new ScheduleSettings(null, "* * * * * ?", true, Duration.ofMinutes(5)), 0);
  }

  /** A node whose first {@code failing} cluster runs fail (a cloud writer), the others succeed. */
  ClusterNode node(String url, String password, ScheduleSettings schedule, int failing) {
    ClusterSettings settings = new ClusterSettings(url, PostgresServer.USER, Secret.of(password), "node-a",
        Duration.ofSeconds(1));
    return new ClusterNode(settings, schedule, state -> {
      boolean fails = runs.incrementAndGet() <= failing;
      return new SyncResult(fails ? SyncResult.Outcome.WRITER_FAILED : SyncResult.Outcome.SUCCESS, fails
          ? "writer failed: aws-security-group:sg-1: throttled" : "ok", 0, new TreeSet<>(), new TreeSet<>(), !fails,
          false, List.of(), Instant.now(), Duration.ZERO, 0, new TreeSet<>());
    }, new ClusterNode.Listener() {
      @Override
      public void running(boolean running, String reason) {
        reported.add(running);
        reasons.add(reason);
      }

      @Override
      public void ran(SyncResult result) {}
    });
  }

  static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + seconds + "s: " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void theClusterJobRunsAnOutageIsReportedOnceAndTheJobResumesWhenTheDatabaseIsBack() throws Exception {
    String url = db.newDatabase();
    try (ClusterNode node = node(url, PostgresServer.PASSWORD)) {
      node.start();
      await("two cluster runs", 20, () -> runs.get() >= 2);
      assertEquals(List.of(true), reported);
      try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT instance_name, sched_name FROM qrtz_scheduler_state")) {
        assertTrue(rs.next());
        assertEquals("node-a", rs.getString(1));
        assertEquals(ClusterNode.SCHEDULER, rs.getString(2));
      }

      db.stop();
      await("the outage reported", 20, () -> reported.size() == 2);
      assertFalse(node.running());
      Thread.sleep(3000);
      assertEquals(List.of(true, false), reported, "one report, not one per retry");
      assertTrue(reasons.get(1).contains("cluster database " + url + " as ipsync"), reasons.get(1));
      int during = runs.get();

      db.start();
      await("back after the outage", 30, () -> reported.size() == 3);
      assertEquals(List.of(true, false, true), reported);
      await("runs again", 30, () -> runs.get() > during + 1);
      assertTrue(reasons.stream().noneMatch(r -> r.contains(PostgresServer.PASSWORD)), reasons.toString());
    }
  }

  @Test
  void aFailedClusterRunIsRetriedEarlyAndASuccessEndsTheRetries() throws Exception {
    String url = db.newDatabase();
    // The schedule fires at start and then hourly: only the early retries can run the job again within the test.
    ScheduleSettings hourly = new ScheduleSettings(Duration.ofHours(1), null, true, Duration.ofMillis(300));
    try (ClusterNode node = node(url, PostgresServer.PASSWORD, hourly, 2)) {
      node.start();
      await("two failed runs and the successful retry", 20, () -> runs.get() >= 3);
      Thread.sleep(2000);
      assertEquals(3, runs.get(), "no retry after the success");
      try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = 'cluster-retry'")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1), "the retry trigger is gone");
      }
    }
  }

  @Test
  void aNodeStartedWhileTheDatabaseIsDownJoinsWhenItComesBack() throws Exception {
    String url = db.newDatabase();
    db.stop();
    try (ClusterNode node = node(url, PostgresServer.PASSWORD)) {
      try {
        node.start();
        assertEquals(List.of(false), reported, "the start goes on, reporting the cluster job not running");
        Thread.sleep(2500);
        assertEquals(0, runs.get());
      } finally {
        db.start();
      }
      await("joined", 30, () -> reported.size() == 2);
      assertEquals(List.of(false, true), reported);
      await("runs", 30, () -> runs.get() >= 1);
    }
  }

  @Test
  void ninetyBytesOfSerializedHashMapInTheQuartzTablesAreNeverDeserialized() throws Exception {
    String url = db.newDatabase();
    try (ClusterNode node = node(url, PostgresServer.PASSWORD)) {
      node.start();
      await("a first run", 20, () -> runs.get() >= 1);
      // What anyone who may write the tables can put there: read by Java deserialization, it ends the JVM in
      // OutOfMemoryError (this test's JVM included).
      byte[] payload = io.feishuipsync.testbed.Payloads.hugeHashMap();
      try (Connection c = PostgresServer.connect(url);
          java.sql.PreparedStatement job = c.prepareStatement("UPDATE qrtz_job_details SET job_data = ?");
          java.sql.PreparedStatement triggers = c.prepareStatement("UPDATE qrtz_triggers SET job_data = ?")) {
        job.setBytes(1, payload);
        triggers.setBytes(1, payload);
        assertEquals(1, job.executeUpdate());
        assertTrue(triggers.executeUpdate() >= 1);
      }
      int before = runs.get();
      await("runs on with the payload in place", 20, () -> runs.get() >= before + 2);
      assertTrue(node.running());
    }
  }

  @Test
  void aRefusedLoginIsASetupErrorNamingUserAndUrlButNotThePassword() throws Exception {
    String url = db.newDatabase();
    try (ClusterNode node = node(url, "wrong-Password-123")) {
      ConfigException e = assertThrows(ConfigException.class, node::start);
      assertTrue(e.getMessage().startsWith("cluster: cluster database " + url + " as ipsync: "), e.getMessage());
      assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong-Password-123"), e.getMessage());
    }
  }
}
