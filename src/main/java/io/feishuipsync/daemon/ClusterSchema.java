package io.feishuipsync.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of the cluster database: Quartz's own (its PostgreSQL DDL, shipped in the quartz jar) and the
 * project's (snapshot, history, status of the cluster writers, and a version row that later releases migrate
 * from). Created on first start in one transaction under an advisory lock, so two nodes starting together do not
 * race; a database that already holds them is left as it is.
 */
public final class ClusterSchema {

  /** The schema this release reads and writes. */
  public static final int VERSION = 1;

  private static final String QUARTZ_DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
  /** Any constant shared by every node: the advisory lock that serialises schema creation. */
  private static final long LOCK = 0x66656973_68756970L;

  private static final List<String> OWN = List.of(
      "CREATE TABLE ipsync_schema (version INTEGER NOT NULL)",
      "CREATE TABLE ipsync_snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT, fetched_at TIMESTAMPTZ,"
          + " node VARCHAR(80), applied_at TIMESTAMPTZ)",
      "CREATE TABLE ipsync_status (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT, node VARCHAR(80),"
          + " time TIMESTAMPTZ)",
      "CREATE TABLE ipsync_history (id BIGSERIAL PRIMARY KEY, time TIMESTAMPTZ NOT NULL, node VARCHAR(80) NOT NULL,"
          + " line TEXT NOT NULL)",
      "INSERT INTO ipsync_snapshot (id) VALUES (1)",
      "INSERT INTO ipsync_status (id) VALUES (1)",
      "INSERT INTO ipsync_schema (version) VALUES (" + VERSION + ")");

  /** The schema is there but another release's: cluster mode cannot run against it. */
  public static final class MismatchException extends Exception {
    MismatchException(String message) {
      super(message);
    }
  }

  private ClusterSchema() {}

  /**
   * Creates every table when the database has none of ours; checks the version when it has. Returns true when it
   * created them. Commits its own transaction on {@code c}.
   */
  public static boolean ensure(Connection c) throws SQLException, MismatchException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
      boolean created = false;
      if (!exists(st, "ipsync_schema")) {
        for (String sql : quartzStatements()) {
          st.execute(sql);
        }
        for (String sql : OWN) {
          st.execute(sql);
        }
        created = true;
      }
      int version = version(st);
      c.commit();
      if (version != VERSION) {
        throw new MismatchException("the cluster database holds schema version " + version + ", this"
            + " feishu-ipsync reads version " + VERSION + "; run the same release on every node");
      }
      return created;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** The version row, checked without creating anything; for {@code check-config --online} and {@code status}. */
  public static int version(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      return exists(st, "ipsync_schema") ? version(st) : 0;
    }
  }

  private static int version(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT min(version), max(version), count(*) FROM ipsync_schema")) {
      rs.next();
      if (rs.getInt(3) != 1 || rs.getInt(1) != rs.getInt(2)) {
        throw new SQLException("ipsync_schema must hold exactly one version row, it holds " + rs.getInt(3));
      }
      return rs.getInt(1);
    }
  }

  private static boolean exists(Statement st, String table) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /**
   * Quartz's DDL without its DROP statements and its COMMIT, each CREATE made conditional so that Quartz tables an
   * operator created beforehand are kept.
   */
  static List<String> quartzStatements() {
    String ddl;
    try (InputStream in = ClusterSchema.class.getClassLoader().getResourceAsStream(QUARTZ_DDL)) {
      if (in == null) {
        throw new IllegalStateException(QUARTZ_DDL + " is missing from the quartz jar");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + QUARTZ_DDL + ": " + e.getMessage(), e);
    }
    StringBuilder text = new StringBuilder();
    ddl.lines().filter(l -> !l.strip().startsWith("--")).forEach(l -> text.append(l).append('\n'));
    List<String> out = new ArrayList<>();
    for (String raw : text.toString().split(";")) {
      String sql = raw.strip();
      String upper = sql.toUpperCase(Locale.ROOT);
      if (sql.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) {
        continue;
      }
      if (upper.startsWith("CREATE TABLE ")) {
        sql = "CREATE TABLE IF NOT EXISTS " + sql.substring("CREATE TABLE ".length());
      } else if (upper.startsWith("CREATE INDEX ")) {
        sql = "CREATE INDEX IF NOT EXISTS " + sql.substring("CREATE INDEX ".length());
      } else {
        throw new IllegalStateException("unexpected statement in " + QUARTZ_DDL + ": " + sql.lines().findFirst()
            .orElse(""));
      }
      out.add(sql);
    }
    return out;
  }
}
