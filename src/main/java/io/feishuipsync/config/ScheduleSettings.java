package io.feishuipsync.config;

import java.time.Duration;

/**
 * When the daemon syncs: every {@code interval}, or by a Quartz {@code cron} expression (exactly one is set).
 *
 * @param interval time between syncs, or null when {@code cron} is used
 * @param cron Quartz cron expression, or null
 * @param runOnStart sync once as soon as the daemon starts
 * @param retryAfter first delay of the earlier retry after a failed sync (doubling, at most a quarter of the interval)
 */
public record ScheduleSettings(Duration interval, String cron, boolean runOnStart, Duration retryAfter) {}
