package io.feishuipsync.daemon;

import io.feishuipsync.config.ClusterSettings;
import io.feishuipsync.state.DatabaseState;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Connections to the cluster database, for Quartz's job store and for the cluster state. No pool: a node opens a
 * few connections per check-in interval, so a pool would save little, and without one a database outage leaves no
 * dead pooled connections behind to fail the first runs after it. The password goes to the driver and nowhere else.
 */
public final class PgConnections implements ConnectionProvider {

  private final ClusterSettings settings;
  private final PGSimpleDataSource source = new PGSimpleDataSource();

  /** Connections as {@code settings} say, with timeouts bounded by the check-in interval. */
  public PgConnections(ClusterSettings settings) {
    this.settings = settings;
    source.setURL(settings.jdbcUrl());
    source.setUser(settings.username());
    source.setPassword(settings.password().reveal());
    int seconds = (int) Math.max(5, Math.min(30, settings.checkinInterval().toSeconds() * 2));
    source.setConnectTimeout(seconds);
    source.setLoginTimeout(seconds);
    // A database that stops answering mid-query must not hold a sync thread for long.
    source.setSocketTimeout(120);
    source.setTcpKeepAlive(true);
    source.setApplicationName("feishu-ipsync " + settings.nodeId());
  }

  @Override
  public Connection getConnection() throws SQLException {
    return source.getConnection();
  }

  @Override
  public void initialize() {}

  @Override
  public void shutdown() {}

  /** A failure to reach or use the database as one line: URL, user and what the server said, never the password. */
  public String describe(SQLException e) {
    return "cluster database " + settings.jdbcUrl() + " as " + settings.username() + ": " + DatabaseState.describe(e);
  }

  /** True when the server said no to the user or password: a setup error, not an outage. */
  static boolean refusedLogin(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("28P01") || state.equals("28000"));
  }
}
