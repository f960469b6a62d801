package io.feishuipsync.daemon;

import io.feishuipsync.config.ClusterSettings;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the cluster database says, for {@code status} and {@code check-config --online}: its schema version, the
 * nodes and their last check-in (Quartz's scheduler state), and the last cluster run: by which node, when, and each
 * cluster writer's result. Reads only.
 *
 * @param schemaVersion the version row, 0 when the schema is not created yet
 * @param nodes every node Quartz knows, by id
 * @param lastRunNode the node that ran the last cluster job, or null
 * @param lastRunTime when it recorded it, or null
 * @param lastRun its status (each cluster writer's last result), if any
 */
public record ClusterView(int schemaVersion, List<Node> nodes, String lastRunNode, Instant lastRunTime,
    Optional<Status> lastRun) {

  /** One node as Quartz's cluster manager records it. */
  public record Node(String id, Instant lastCheckin, long checkinIntervalMs) {}

  /** Reads the view; one line, with URL and user and never the password, when the database cannot be read. */
  public static ClusterView read(ClusterSettings settings) throws ClusterException {
    PgConnections connections = new PgConnections(settings);
    try (Connection c = connections.getConnection()) {
      int version = ClusterSchema.version(c);
      if (version == 0) {
        return new ClusterView(0, List.of(), null, null, Optional.empty());
      }
      List<Node> nodes = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT instance_name, last_checkin_time, checkin_interval"
          + " FROM qrtz_scheduler_state WHERE sched_name = ? ORDER BY instance_name LIMIT 100")) {
        st.setString(1, ClusterNode.SCHEDULER);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            nodes.add(new Node(Sanitize.text(rs.getString(1), 80), Instant.ofEpochMilli(rs.getLong(2)),
                rs.getLong(3)));
          }
        }
      }
      String node = null;
      Instant time = null;
      try (PreparedStatement st = c.prepareStatement("SELECT node, time FROM ipsync_status WHERE id = 1");
          ResultSet rs = st.executeQuery()) {
        if (rs.next() && rs.getTimestamp(2) != null) {
          node = Sanitize.text(rs.getString(1), 80);
          time = rs.getTimestamp(2).toInstant();
        }
      }
      return new ClusterView(version, nodes, node, time, new DatabaseState(c, settings.nodeId()).loadStatus());
    } catch (SQLException e) {
      throw new ClusterException(connections.describe(e), PgConnections.refusedLogin(e));
    }
  }

  /** The cluster database could not be read; the message names URL and user, never the password. */
  public static final class ClusterException extends Exception {
    private final boolean refusedLogin;

    ClusterException(String message, boolean refusedLogin) {
      super(message);
      this.refusedLogin = refusedLogin;
    }

    /** The server refused the user or password: a setup error rather than an outage. */
    public boolean refusedLogin() {
      return refusedLogin;
    }
  }
}
