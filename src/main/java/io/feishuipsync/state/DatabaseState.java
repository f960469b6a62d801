package io.feishuipsync.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of the cluster writers, in the cluster database: one snapshot row (the same JSON as snapshot.json, with
 * its fetch time and the node that applied it), the history (the same lines as history.jsonl) and the status of the
 * last cluster run. Works inside the caller's transaction on {@code connection}; the caller commits or rolls back.
 */
public final class DatabaseState implements SyncState {

  /** Larger than the snapshot of 100,000 IPv6 entries; a bigger row is not ours. */
  private static final int MAX_ROW = 16 * 1024 * 1024;

  private final Connection connection;
  private final String node;

  /** State read and written through {@code connection} (auto-commit off) on behalf of node {@code node}. */
  public DatabaseState(Connection connection, String node) {
    this.connection = connection;
    this.node = node;
  }

  /**
   * Locks the snapshot row until the caller's transaction ends (another node's run waits) and returns when the last
   * applied list was fetched, if one was applied.
   */
  /**
   * The database's own clock (not the transaction's start): the one clock every node of the cluster shares, so that
   * ordering lists never depends on a node's clock.
   */
  public Instant databaseTime() throws SQLException {
    try (PreparedStatement st = connection.prepareStatement("SELECT clock_timestamp()");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getTimestamp(1).toInstant();
    }
  }

  /**
   * A clock set to the database's time now and running on with this host's: every time a cluster run records (the
   * time its listing began, pending removals, history, the checks of what it reads back) is then the cluster's, not
   * this node's. Call it first in a run: it ends the read-only transaction its query opened, so that none stays open
   * while the sources are fetched. This host's clock alone when the database cannot be asked (the run then fails on
   * the same outage).
   */
  public Clock clock() {
    try {
      Duration offset = Duration.between(Instant.now(), databaseTime());
      connection.commit();
      return Clock.offset(Clock.systemUTC(), offset);
    } catch (SQLException e) {
      return Clock.systemUTC();
    }
  }

  public Optional<Instant> lockLastApplied() throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(
        "SELECT fetched_at FROM ipsync_snapshot WHERE id = 1 FOR UPDATE")) {
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the cluster database has no snapshot row; its schema is incomplete");
        }
        Timestamp t = rs.getTimestamp(1);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
      }
    }
  }

  @Override
  public StateStore.Loaded loadSnapshot() {
    try {
      byte[] body = body("SELECT body FROM ipsync_snapshot WHERE id = 1");
      if (body == null) {
        return new StateStore.Loaded(Optional.empty(), "no snapshot yet (" + where() + ")");
      }
      return StateStore.parseSnapshot(body, "the snapshot in " + where());
    } catch (SQLException | IOException e) {
      return new StateStore.Loaded(Optional.empty(), "cannot read " + where() + ": " + describe(e));
    }
  }

  /**
   * Replaces the snapshot; refuses, changing nothing, one fetched before the list the database holds, which another
   * node applied in the meantime.
   */
  @Override
  public void saveSnapshot(Snapshot s) throws IOException {
    try (PreparedStatement st = connection.prepareStatement("UPDATE ipsync_snapshot SET body = ?, fetched_at = ?,"
        + " node = ?, applied_at = now() WHERE id = 1 AND (fetched_at IS NULL OR fetched_at <= ?)")) {
      st.setString(1, new String(StateStore.snapshotBytes(s), StandardCharsets.UTF_8));
      st.setTimestamp(2, Timestamp.from(s.fetchedAt()));
      st.setString(3, node);
      st.setTimestamp(4, Timestamp.from(s.fetchedAt()));
      if (st.executeUpdate() != 1) {
        throw new IOException("the cluster database holds a list fetched after " + s.fetchedAt()
            + "; not going back to an older one");
      }
    } catch (SQLException e) {
      throw new IOException("cannot save the snapshot: " + describe(e), e);
    }
  }

  @Override
  public void appendHistory(Instant time, ChangeSet change, int total, String source,
      Map<IpRange, List<String>> origins) throws IOException {
    ObjectNode line = StateStore.historyLine(time, change, total, source, origins);
    try {
      byte[] last = body("SELECT line FROM ipsync_history ORDER BY id DESC LIMIT 1");
      if (last != null) {
        // Only read to skip a repeat: a last row that is not JSON (edited, or not ours) is no repeat, and must not
        // keep this change from being recorded (found by fuzzing: its parse error escaped as a multi-line failure).
        JsonNode previous;
        try {
          previous = StateStore.json().readTree(last);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          previous = null;
        }
        if (previous != null && StateStore.sameChange(previous, line)) {
          // A run retried after its apply but before its commit finds the same change to record.
          return;
        }
      }
      try (PreparedStatement st = connection.prepareStatement(
          "INSERT INTO ipsync_history (time, node, line) VALUES (?, ?, ?)")) {
        st.setTimestamp(1, Timestamp.from(time));
        st.setString(2, node);
        st.setString(3, StateStore.json().writeValueAsString(line));
        st.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IOException("cannot append to the history: " + describe(e), e);
    }
  }

  @Override
  public void saveStatus(Status status) throws IOException {
    try (PreparedStatement st = connection.prepareStatement(
        "UPDATE ipsync_status SET body = ?, node = ?, time = now() WHERE id = 1")) {
      st.setString(1, new String(StatusFile.bytes(status), StandardCharsets.UTF_8));
      st.setString(2, node);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("cannot save the status: " + describe(e), e);
    }
  }

  @Override
  public Optional<Status> loadStatus() {
    try {
      byte[] body = body("SELECT body FROM ipsync_status WHERE id = 1");
      return body == null ? Optional.empty() : StatusFile.read(body);
    } catch (SQLException | IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public String where() {
    return "the cluster database";
  }

  /** The one text column of the first row of {@code sql}, or null; refuses one too large to be ours. */
  private byte[] body(String sql) throws SQLException, IOException {
    try (PreparedStatement st = connection.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
      if (!rs.next() || rs.getString(1) == null) {
        return null;
      }
      String text = rs.getString(1);
      if (text.length() > MAX_ROW) {
        throw new IOException("a row of " + text.length() + " characters is larger than feishu-ipsync writes");
      }
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A database error as one line: what the server said, never a credential (the driver puts none in). */
  public static String describe(Exception e) {
    String state = e instanceof SQLException s && s.getSQLState() != null ? " (SQLSTATE " + s.getSQLState() + ")" : "";
    return Sanitize.text(String.valueOf(e.getMessage()), 300) + state;
  }
}
