package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import java.time.Duration;
import org.quartz.CronExpression;

/**
 * When the daemon syncs: every {@code interval}, or by a Quartz {@code cron} expression (exactly one is set).
 *
 * @param interval time between syncs, or null when {@code cron} is used
 * @param cron Quartz cron expression, or null
 * @param runOnStart sync once as soon as the daemon starts
 * @param retryAfter first delay of the earlier retry after a failed sync (doubling, at most a quarter of the interval)
 */
public record ScheduleSettings(Duration interval, String cron, boolean runOnStart, Duration retryAfter) {

  /** Validates the {@code schedule} section; absent means every 6h, starting at once. */
  static ScheduleSettings from(RawConfig.Schedule s) {
    if (s == null) {
      s = new RawConfig.Schedule(null, null, null, null);
    }
    if (s.interval() != null && s.cron() != null) {
      throw new ConfigException("schedule", "set either interval or cron, not both");
    }
    Duration interval = null;
    String cron = null;
    if (s.cron() != null) {
      try {
        CronExpression.validateExpression(s.cron());
      } catch (java.text.ParseException e) {
        throw new ConfigException("schedule.cron", "'" + s.cron() + "' is not a Quartz cron expression: "
            + e.getMessage());
      }
      cron = s.cron();
    } else {
      interval = Durations.positive("schedule.interval", s.interval(), Duration.ofHours(6));
      if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new ConfigException("schedule.interval", "must be at least 1m");
      }
    }
    Duration retry = Durations.positive("schedule.retry_after", s.retryAfter(), Duration.ofMinutes(5));
    return new ScheduleSettings(interval, cron, java.util.Objects.requireNonNullElse(s.runOnStart(), true), retry);
  }

  /** {@code retry_after} doubled per consecutive failure, capped at a quarter of the interval (at least the base). */
  public Duration retryDelay(int failures) {
    Duration cap = interval != null ? interval.dividedBy(4) : Duration.ofHours(1);
    if (cap.compareTo(retryAfter) < 0) {
      cap = retryAfter;
    }
    Duration d = retryAfter.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 20));
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
