package io.feishuipsync.daemon;

import io.feishuipsync.config.ScheduleSettings;
import java.time.Duration;
import java.util.Date;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/** The triggers of both schedulers (the node's sync, the cluster job): the configured schedule and the early retry. */
final class Triggers {

  private Triggers() {}

  /**
   * {@code schedule} as trigger {@code key} of {@code job}. Missed fires (suspend, a long sync) collapse into one
   * run now; an interval counts on from there, starting at once with {@code run_on_start}.
   */
  static Trigger schedule(TriggerKey key, JobKey job, ScheduleSettings schedule) {
    TriggerBuilder<Trigger> t = TriggerBuilder.newTrigger().withIdentity(key).forJob(job);
    if (schedule.cron() != null) {
      return t.withSchedule(CronScheduleBuilder.cronSchedule(schedule.cron())
          .withMisfireHandlingInstructionFireAndProceed()).build();
    }
    long ms = schedule.interval().toMillis();
    return t.startAt(schedule.runOnStart() ? new Date() : new Date(System.currentTimeMillis() + ms))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(ms).repeatForever()
            .withMisfireHandlingInstructionNowWithExistingCount()).build();
  }

  /** Replaces the early retry {@code key} of {@code job} with one run {@code delay} from now. */
  static void retry(Scheduler scheduler, TriggerKey key, JobKey job, Duration delay) throws SchedulerException {
    scheduler.unscheduleJob(key);
    scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(key).forJob(job)
        .startAt(new Date(System.currentTimeMillis() + delay.toMillis())).build());
  }
}
