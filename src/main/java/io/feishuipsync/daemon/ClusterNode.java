package io.feishuipsync.daemon;

import io.feishuipsync.config.ClusterSettings;
import io.feishuipsync.config.ScheduleSettings;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.state.DatabaseState;
import io.feishuipsync.state.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in cluster mode: a second Quartz scheduler on the clustered JDBC job store holding one durable
 * job, the cluster writers' sync, which Quartz runs once per fire on one node and hands to another node when the one
 * running it stops checking in. The host writers stay with {@link Daemon}, which needs no database. A database that
 * cannot be reached is reported once, and joined again by itself when it comes back.
 */
public final class ClusterNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  /** The same on every node: Quartz's scheduler name is what makes the nodes one cluster. */
  static final String SCHEDULER = "feishu-ipsync-cluster";
  private static final String DATA_SOURCE = "feishu-ipsync-cluster";
  private static final JobKey JOB = JobKey.jobKey("cluster-sync", "feishu-ipsync");
  private static final TriggerKey SCHEDULE = TriggerKey.triggerKey("cluster-schedule", "feishu-ipsync");
  private static final TriggerKey RETRY = TriggerKey.triggerKey("cluster-retry", "feishu-ipsync");

  /** One cluster run, given the state in the database inside the run's transaction. */
  public interface Run {
    SyncResult run(DatabaseState state);
  }

  /** Told when this node's cluster job starts or stops being able to run, and after each cluster run. */
  public interface Listener {
    void running(boolean running, String reason);

    void ran(SyncResult result);
  }

  private final ClusterSettings settings;
  private final ScheduleSettings schedule;
  private final Run run;
  private final Listener listener;
  private final PgConnections connections;
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cluster-watch");
    t.setDaemon(true);
    return t;
  });
  private Scheduler scheduler;
  private Boolean up;

  public ClusterNode(ClusterSettings settings, ScheduleSettings schedule, Run run, Listener listener) {
    this.settings = settings;
    this.schedule = schedule;
    this.run = run;
    this.listener = listener;
    this.connections = new PgConnections(settings);
  }

  /**
   * Joins the cluster: checks or creates the schema, then starts the clustered scheduler. A refused login or another
   * schema version is a setup error ({@link ConfigException}); an unreachable database is not: the node reports it
   * and keeps trying every check-in interval while the host writers go on.
   */
  public void start() {
    settings.tlsWarning().ifPresent(w -> log.warn("{}", w));
    try {
      join();
    } catch (SQLException e) {
      if (PgConnections.refusedLogin(e)) {
        throw new ConfigException("cluster", connections.describe(e));
      }
      changed(false, connections.describe(e));
    } catch (SchedulerException e) {
      changed(false, "cannot start the cluster scheduler: " + e.getMessage());
    }
    long every = settings.checkinInterval().toMillis();
    watch.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  private synchronized void join() throws SQLException, SchedulerException {
    try (Connection c = connections.getConnection()) {
      if (ClusterSchema.ensure(c)) {
        log.info("cluster: created the schema (version {}) in {}", ClusterSchema.VERSION, settings.jdbcUrl());
      }
    } catch (ClusterSchema.MismatchException e) {
      throw new ConfigException("cluster", e.getMessage());
    }
    if (scheduler == null) {
      DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, connections);
      scheduler = new StdSchedulerFactory(properties()).getScheduler();
      scheduler.setJobFactory((bundle, s) -> new RunJob(this::runOnce));
      JobDetail job = JobBuilder.newJob(RunJob.class).withIdentity(JOB).storeDurably().requestRecovery().build();
      // Replaced on every start: the schedule of the node started last holds for the cluster.
      scheduler.scheduleJob(job, Set.of(Triggers.schedule(SCHEDULE, JOB, schedule)), true);
      scheduler.start();
    }
    changed(true, "node " + settings.nodeId() + " joined the cluster at " + settings.jdbcUrl() + ", check-in every "
        + Durations.format(settings.checkinInterval()));
  }

  /** Every check-in interval: is the database there? Joins when it was not, reports a change once. */
  private void check() {
    try {
      if (scheduler == null) {
        join();
        return;
      }
      try (Connection c = connections.getConnection(); Statement st = c.createStatement()) {
        st.execute("SELECT 1 FROM qrtz_locks LIMIT 1");
      }
      changed(true, "the cluster database answers again; the cluster job can run on this node");
    } catch (SQLException e) {
      changed(false, connections.describe(e));
    } catch (SchedulerException | ConfigException e) {
      changed(false, e.getMessage());
    } catch (RuntimeException e) {
      log.error("cluster: unexpected failure of the database check", e);
    }
  }

  private synchronized void changed(boolean nowUp, String reason) {
    if (up != null && up == nowUp) {
      return;
    }
    up = nowUp;
    if (nowUp) {
      log.info("cluster: {}", reason);
    } else {
      log.error("cluster: the cluster job cannot run on this node, host writers go on: {}; retrying every {}",
          reason, Durations.format(settings.checkinInterval()));
    }
    try {
      listener.running(nowUp, reason);
    } catch (RuntimeException e) {
      log.error("cluster: cannot report the change: {}", e.toString());
    }
  }

  /** Whether the cluster job can run on this node, as last found. */
  public synchronized boolean running() {
    return Boolean.TRUE.equals(up);
  }

  /** One cluster run in one transaction; what a failed database leaves undone the next fire (or recovery) redoes. */
  void runOnce() {
    SyncResult r;
    int failures;
    try (Connection c = connections.getConnection()) {
      bound(c);
      c.setAutoCommit(false);
      DatabaseState state = new DatabaseState(c, settings.nodeId());
      r = run.run(state);
      failures = state.loadStatus().map(Status::consecutiveFailures).orElse(r.outcome().isFailure() ? 1 : 0);
      c.commit();
    } catch (SQLException e) {
      changed(false, connections.describe(e));
      return;
    }
    retryEarly(r, failures);
    try {
      listener.ran(r);
    } catch (RuntimeException e) {
      log.error("cluster: cannot report the run: {}", e.toString());
    }
  }

  /**
   * After a failed cluster run, one early retry of the cluster job, as the host job has: {@code retry_after}
   * doubled per failure in a row (the cluster's count), kept in the database so that whichever node is up runs it;
   * a success or a refusal cancels it.
   */
  private void retryEarly(SyncResult r, int failures) {
    try {
      if (!r.outcome().isFailure() || watch.isShutdown()) {
        scheduler.unscheduleJob(RETRY);
        return;
      }
      Duration delay = schedule.retryDelay(failures);
      Triggers.retry(scheduler, RETRY, JOB, delay);
      log.error("cluster: the cluster run failed ({} since the last success), retrying in {}: {}", failures,
          Durations.format(delay), r.message());
    } catch (SchedulerException e) {
      log.error("cluster: cannot schedule a retry; the next scheduled run will try again: {}", e.getMessage());
    }
  }

  /**
   * The run holds the snapshot row's lock from its fetch to its commit. A node that dies without closing its socket
   * (host off) or stalls must not hold it for long: the server probes the peer every check-in interval and ends a
   * session idle in its transaction for 15 minutes (longer than any apply), and a run waits for the lock at most
   * twice the check-in interval (at least 30 s), then fails and the next fire tries again.
   */
  private void bound(Connection c) throws SQLException {
    long checkin = Math.max(1, settings.checkinInterval().toSeconds());
    try (Statement st = c.createStatement()) {
      st.execute("SET tcp_keepalives_idle = " + checkin);
      st.execute("SET tcp_keepalives_interval = " + checkin);
      st.execute("SET tcp_keepalives_count = 3");
      st.execute("SET idle_in_transaction_session_timeout = '15min'");
      st.execute("SET lock_timeout = '" + Math.max(30, 2 * checkin) + "s'");
    }
  }

  private Properties properties() {
    long checkin = settings.checkinInterval().toMillis();
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER);
    p.setProperty("org.quartz.scheduler.instanceId", settings.nodeId());
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "cluster-sync");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkin));
    p.setProperty("org.quartz.jobStore.dbRetryInterval", Long.toString(checkin));
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    // Job data is stored and read as text properties, never through Java deserialization: a row anyone with the
    // role can write must not be able to make every node build an object graph of its choosing.
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    // Without it, a trigger another node replaced is seen only after Quartz's default idle wait of 30s.
    p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(Math.max(1000, Math.min(checkin, 30000))));
    return p;
  }

  /** Leaves the cluster: a cluster run in progress finishes; the job stays for the other nodes. */
  @Override
  public void close() {
    watch.shutdownNow();
    Scheduler s;
    synchronized (this) {
      s = scheduler;
    }
    if (s != null) {
      try {
        s.shutdown(true);
      } catch (SchedulerException e) {
        log.warn("cluster: cannot stop the cluster scheduler cleanly: {}", e.getMessage());
      }
    }
  }
}
