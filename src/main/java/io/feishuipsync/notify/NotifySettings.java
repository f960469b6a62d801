package io.feishuipsync.notify;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import java.time.Duration;

/**
 * Who is told about changes, refusals and failures.
 *
 * @param feishuBot a Feishu custom bot webhook, or null
 * @param webhook a generic JSON webhook, or null
 * @param failuresBeforeAlert consecutive failed syncs before the "failing" message
 * @param minInterval at most one message of a kind per this interval
 */
public record NotifySettings(ChannelSettings feishuBot, ChannelSettings webhook, int failuresBeforeAlert,
    Duration minInterval) {

  /** No {@code notify} section: nobody is told. */
  public static final NotifySettings OFF = new NotifySettings(null, null, 3, Duration.ofMinutes(10));

  /** Checks {@code notify.failures_before_alert}; absent means 3. */
  public static int failuresBeforeAlert(Integer n) {
    int failures = requireNonNullElse(n, 3);
    if (failures < 1 || failures > 1000) {
      throw new ConfigException("notify.failures_before_alert", failures + " is outside 1..1000");
    }
    return failures;
  }

  /** Parses {@code notify.min_interval}; absent means 10 minutes. */
  public static Duration minInterval(String text) {
    return text == null ? Duration.ofMinutes(10) : Durations.parse("notify.min_interval", text);
  }

  /** No channel configured. */
  public boolean off() {
    return feishuBot == null && webhook == null;
  }
}
