package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import io.feishuipsync.daemon.ClusterSchema;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.Status;
import io.feishuipsync.testbed.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config --online} and {@code status} in cluster mode, against a real PostgreSQL. */
class CliClusterTest {

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  @TempDir
  Path dir;

  Path config(String url) throws Exception {
    return TestConfig.pointedAt(feishu, dir.resolve("state")).section("cluster:\n  jdbc_url: " + url
        + "\n  username: ipsync\n  password: ${DB_PW}\n  node_id: node-a").writer("type: dryrun")
        .writeTo(dir.resolve("config.yaml"));
  }

  CliRunner.Result run(String password, Path config, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return CliRunner.run(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET, "DB_PW", password), all);
  }

  @Test
  void checkConfigOnlineReachesTheDatabaseAndNamesUserAndUrlButNotThePasswordWhenRefused() throws Exception {
    String url = db.newDatabase();
    Path config = config(url);
    CliRunner.Result ok = run(PostgresServer.PASSWORD, config, "check-config", "--online");
    assertEquals(0, ok.exit(), ok.err());
    assertTrue(ok.out().contains("the cluster database answered (schema not created yet"), ok.out());

    CliRunner.Result refused = run("wrong-Password-77", config, "check-config", "--online");
    assertEquals(Cli.USAGE, refused.exit());
    assertEquals("feishu-ipsync: cluster database " + url + " as ipsync: FATAL: password authentication failed for"
        + " user \"ipsync\" (SQLSTATE 28P01)\n", refused.err());
    assertFalse((refused.out() + refused.log()).contains("wrong-Password-77"));
  }

  @Test
  void aNodeFindingAnotherSchemaVersionRefusesToRunWithOneLineAndExitTwo() throws Exception {
    String url = db.newDatabase();
    try (Connection c = PostgresServer.connect(url)) {
      ClusterSchema.ensure(c);
      try (Statement st = c.createStatement()) {
        st.execute("UPDATE ipsync_schema SET version = 2");
      }
    }
    CliRunner.Result r = run(PostgresServer.PASSWORD, config(url), "run");
    assertEquals(Cli.USAGE, r.exit(), r.err() + r.log());
    assertEquals("feishu-ipsync: cluster: the cluster database holds schema version 2, this feishu-ipsync reads"
        + " version 1; run the same release on every node\n", r.err());
    assertEquals(0, feishu.listRequests(), "nothing synced");
  }

  @Test
  void statusShowsTheNodesTheLastClusterRunAndEachClusterWritersResult() throws Exception {
    String url = db.newDatabase();
    Instant checkin = Instant.parse("2026-11-24T10:00:02Z");
    try (Connection c = PostgresServer.connect(url)) {
      ClusterSchema.ensure(c);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO qrtz_scheduler_state VALUES ('feishu-ipsync-cluster', 'node-b', "
            + checkin.toEpochMilli() + ", 2000)");
      }
      WriterResult sg = new WriterResult("aws-sg:sg-0123", WriterResult.Outcome.CHANGED, 30, 30, 0, List.of(), null);
      SyncResult r = new SyncResult(SyncResult.Outcome.SUCCESS, "applied: 30 entries, +30 -0", 30, new TreeSet<>(),
          new TreeSet<IpRange>(), true, false, List.of(sg), checkin, Duration.ofMillis(40), 2, new TreeSet<>());
      new DatabaseState(c, "node-b").saveStatus(Status.after(Optional.empty(), r, checkin));
    }
    Path config = config(url);
    CliRunner.Result text = run(PostgresServer.PASSWORD, config, "status");
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("cluster: node node-a, database " + url + " as ipsync"), text.out());
    assertTrue(text.out().contains("node-b                         last check-in 2026-11-24T10:00:02Z (every 2000"
        + " ms)"), text.out());
    assertTrue(text.out().contains("last cluster run: by node-b at "), text.out());
    assertTrue(text.out().contains(": success: applied: 30 entries, +30 -0"), text.out());
    assertTrue(text.out().contains("aws-sg:sg-0123"), text.out());
    assertFalse(text.out().contains(PostgresServer.PASSWORD));

    CliRunner.Result json = run(PostgresServer.PASSWORD, config, "status", "--output", "json");
    JsonNode cluster = new ObjectMapper().readTree(json.out()).path("cluster");
    assertEquals("node-b", cluster.path("nodes").path(0).path("id").asText());
    assertEquals("node-b", cluster.path("last_run").path("node").asText());
    assertEquals("changed", cluster.path("last_run").path("status").path("writers").path("aws-sg:sg-0123")
        .path("outcome").asText());
    assertFalse(json.out().contains(PostgresServer.PASSWORD));
  }
}
