package io.feishuipsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.testbed.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster schema against a real PostgreSQL: created once, idempotent, race-free, version-checked. */
class ClusterSchemaTest {

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();

  static int count(Connection c, String like) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '" + like + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void quartzDdlIsUsedWithoutItsDropStatements() {
    List<String> ddl = ClusterSchema.quartzStatements();
    assertTrue(ddl.stream().noneMatch(s -> s.toUpperCase().contains("DROP")), ddl.toString());
    assertEquals(11, ddl.stream().filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS")).count());
  }

  @Test
  void firstStartCreatesQuartzAndOwnTablesAndASecondStartChangesNothing() throws Exception {
    try (Connection c = PostgresServer.connect(db.newDatabase())) {
      assertEquals(0, ClusterSchema.version(c), "an empty database has no schema");
      assertTrue(ClusterSchema.ensure(c));
      assertEquals(11, count(c, "qrtz_%"));
      assertEquals(4, count(c, "ipsync_%"));
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO ipsync_history (time, node, line) VALUES (now(), 'a', '{}')");
      }
      assertFalse(ClusterSchema.ensure(c), "the second start creates nothing");
      assertEquals(ClusterSchema.VERSION, ClusterSchema.version(c));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM ipsync_history")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "and drops nothing");
      }
    }
  }

  @Test
  void nodesStartingAtOnceCreateTheSchemaExactlyOnce() throws Exception {
    String url = db.newDatabase();
    int nodes = 4;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> created = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        created.add(pool.submit(() -> {
          try (Connection c = PostgresServer.connect(url)) {
            go.await();
            return ClusterSchema.ensure(c);
          }
        }));
      }
      go.countDown();
      int n = 0;
      for (Future<Boolean> f : created) {
        n += f.get() ? 1 : 0;
      }
      assertEquals(1, n, "one node created the schema, the others found it");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDatabaseOfAnotherSchemaVersionIsRefusedWithOneLine() throws Exception {
    try (Connection c = PostgresServer.connect(db.newDatabase())) {
      ClusterSchema.ensure(c);
      try (Statement st = c.createStatement()) {
        st.execute("UPDATE ipsync_schema SET version = 2");
      }
      ClusterSchema.MismatchException e = assertThrows(ClusterSchema.MismatchException.class,
          () -> ClusterSchema.ensure(c));
      assertEquals("the cluster database holds schema version 2, this feishu-ipsync reads version 1; run the same"
          + " release on every node", e.getMessage());
    }
  }
}
