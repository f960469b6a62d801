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
    // And the server's end of every session, Quartz's included: a node cut off by a silent network (packets dropped,
    // no reset) leaves its session open on the server, holding whatever row lock it had (Quartz's qrtz_locks), and
    // with the server's default keepalive of two hours no other node could take the cluster job over. The server
    // probes an idle session after one check-in interval and ends it after three unanswered probes; a transaction
    // left idle ends after a few intervals (the cluster run's own connection allows longer, see ClusterNode).
    long checkin = Math.max(1, settings.checkinInterval().toSeconds());
    source.setOptions("-c tcp_keepalives_idle=" + checkin + " -c tcp_keepalives_interval=" + checkin
        + " -c tcp_keepalives_count=3 -c idle_in_transaction_session_timeout=" + Math.max(30, 4 * checkin) + "s");
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
