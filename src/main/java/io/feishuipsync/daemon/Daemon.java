package io.feishuipsync.daemon;

import io.feishuipsync.config.ScheduleSettings;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.SyncResult;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running service: a Quartz scheduler that runs one sync at a time on the configured schedule, retries a
 * failed sync earlier with backoff, and on stop abandons a fetch in progress but lets an apply in progress finish.
 */
public final class Daemon {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  private static final JobKey JOB = JobKey.jobKey("sync", "feishu-ipsync");
  private static final TriggerKey SCHEDULE = TriggerKey.triggerKey("schedule", "feishu-ipsync");
  private static final TriggerKey START = TriggerKey.triggerKey("start", "feishu-ipsync");
  private static final TriggerKey RETRY = TriggerKey.triggerKey("retry", "feishu-ipsync");

  private final Supplier<SyncResult> sync;
  private final Runnable abortFetch;
  private final ScheduleSettings schedule;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private Scheduler scheduler;
  private int consecutiveFailures;

  /** A daemon that calls {@code sync} on {@code schedule}. */
  public Daemon(Supplier<SyncResult> sync, ScheduleSettings schedule) {
    this(sync, () -> { }, schedule);
  }

  /**
   * A daemon that calls {@code sync} on {@code schedule} and, on stop, {@code abortFetch}: it must make a fetch in
   * progress fail at once (nothing has been applied yet) and leave an apply alone.
   */
  public Daemon(Supplier<SyncResult> sync, Runnable abortFetch, ScheduleSettings schedule) {
    this.sync = sync;
    this.abortFetch = abortFetch;
    this.schedule = schedule;
  }

  /** Starts the scheduler; the first sync runs at once when {@code run_on_start} is set. */
  public void start() throws SchedulerException {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "feishu-ipsync");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "sync");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    // A fire missed by more than this (suspend, long sync) is handled by the trigger's misfire rule: run once now.
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    scheduler = new StdSchedulerFactory(p).getScheduler();
    scheduler.setJobFactory((bundle, s) -> new RunJob(this::runSync));
    JobDetail job = JobBuilder.newJob(RunJob.class).withIdentity(JOB).storeDurably().build();
    scheduler.addJob(job, false);
    scheduler.scheduleJob(Triggers.schedule(SCHEDULE, JOB, schedule));
    if (schedule.cron() != null && schedule.runOnStart()) {
      scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(START).forJob(JOB).startNow().build());
    }
    scheduler.start();
    log.info("daemon started: {}", describe());
  }

  /** Asks the daemon to stop; safe to call from a signal handler. */
  public void requestStop() {
    stopRequested.countDown();
  }

  /**
   * Blocks until {@link #requestStop()}, then stops: a fetch in progress (a wait for Feishu included) is abandoned,
   * an apply in progress finishes.
   */
  public void awaitAndStop() throws InterruptedException, SchedulerException {
    stopRequested.await();
    log.info("stopping: a fetch in progress is abandoned, an apply in progress finishes; firewall rules stay in"
        + " place");
    abortFetch.run();
    scheduler.shutdown(true);
    log.info("stopped");
  }

  /** Next time a sync is due, for tests and logs. */
  Date nextFireTime() throws SchedulerException {
    Trigger t = scheduler.getTrigger(SCHEDULE);
    return t == null ? null : t.getNextFireTime();
  }

  /** Failed syncs since the last success, as {@link SyncResult.Outcome#consecutiveFailures} counts them. */
  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** When the early retry after a failure is due, or null when none is pending. */
  Date retryTime() throws SchedulerException {
    Trigger t = scheduler.getTrigger(RETRY);
    return t == null ? null : t.getNextFireTime();
  }

  /** Runs one sync (never concurrently) and arranges an earlier retry after a failure. */
  void runSync() {
    if (stopRequested.getCount() == 0) {
      return;
    }
    SyncResult r;
    try {
      r = sync.get();
    } catch (OutOfMemoryError e) {
      // The JVM runs with ExitOnOutOfMemoryError: systemd restarts a fresh one.
      throw e;
    } catch (Throwable e) {
      // Whatever it threw, the run counts as failed and is retried early.
      log.error("sync failed unexpectedly; the daemon keeps going", e);
      r = null;
    }
    int before = consecutiveFailures;
    consecutiveFailures = r == null ? before + 1 : r.outcome().consecutiveFailures(before);
    if (r != null && r.outcome() == SyncResult.Outcome.REFUSED) {
      log.warn("sync refused by a guard; not retried before the next scheduled run: {}", r.message());
    }
    if (r == null || r.outcome().isFailure()) {
      scheduleRetry(r == null ? "unexpected failure" : r.message());
      return;
    }
    if (consecutiveFailures == 0 && before > 0) {
      log.info("sync recovered after {} failed attempt(s)", before);
    }
    unscheduleRetry();
  }

  private void scheduleRetry(String why) {
    Duration delay = retryDelay(consecutiveFailures);
    try {
      if (stopRequested.getCount() == 0) {
        scheduler.unscheduleJob(RETRY);
        return;
      }
      Triggers.retry(scheduler, RETRY, JOB, delay);
      log.error("sync failed ({} since the last success), retrying in {}: {}", consecutiveFailures, Durations.format(delay), why);
    } catch (SchedulerException e) {
      log.error("cannot schedule a retry; the next scheduled run will try again: {}", e.getMessage());
    }
  }

  private void unscheduleRetry() {
    try {
      scheduler.unscheduleJob(RETRY);
    } catch (SchedulerException e) {
      log.warn("cannot cancel a pending retry: {}", e.getMessage());
    }
  }

  /** The wait before the early retry after {@code failures} failed syncs in a row. */
  Duration retryDelay(int failures) {
    return schedule.retryDelay(failures);
  }

  private String describe() {
    String when = schedule.cron() != null ? "cron '" + schedule.cron() + "'" : "every " + Durations.format(schedule.interval());
    return when + (schedule.runOnStart() ? ", first sync now" : "");
  }
}
