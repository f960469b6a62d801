package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.feishu.FeishuSettings;
import io.feishuipsync.metrics.MetricsSettings;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The validated configuration.
 *
 * @param source the file it was read from
 * @param feishu how to reach Feishu
 * @param schedule when the daemon syncs
 * @param stateDir where snapshot, history, status and lock live
 * @param guard what changes are refused
 * @param validation which entries Feishu may send
 * @param logging log format and level
 * @param metrics where metrics are exposed
 * @param notifications who is told about changes and failures
 * @param cluster the shared database of cluster mode, or null for a single node
 * @param writers each writer's type and still-unbuilt settings, in config order
 * @param lists the sources (every app, {@code feishu} being the first), own entries, removal grace, source age
 */
public record Config(
    Path source,
    FeishuSettings feishu,
    ScheduleSettings schedule,
    Path stateDir,
    GuardSettings guard,
    EntryPolicy validation,
    LoggingSettings logging,
    MetricsSettings metrics,
    NotifySettings notifications,
    ClusterSettings cluster,
    List<WriterSpec> writers,
    ListSettings lists) {

  /** Log output: {@code text} or {@code json}, and the root level. */
  public record LoggingSettings(String format, String level) {

    /** Validates the {@code logging} section; absent means text at info. */
    static LoggingSettings from(RawConfig.Logging l) {
      String format = requireNonNullElse(l == null ? null : l.format(), "text");
      if (!Set.of("text", "json").contains(format)) {
        throw new ConfigException("logging.format", "'" + format + "' is not one of: text, json");
      }
      String level = requireNonNullElse(l == null ? null : l.level(), "info").toLowerCase(Locale.ROOT);
      if (!Set.of("error", "warn", "info", "debug", "trace").contains(level)) {
        throw new ConfigException("logging.level", "'" + level + "' is not one of: error, warn, info, debug, trace");
      }
      return new LoggingSettings(format, level);
    }
  }

  /**
   * Who is told about changes, refusals and failures.
   *
   * @param feishuBot a Feishu custom bot webhook, or null
   * @param webhook a generic JSON webhook, or null
   * @param failuresBeforeAlert consecutive failed syncs before the "failing" message
   * @param minInterval at most one message of a kind per this interval
   */
  public record NotifySettings(Channel feishuBot, Channel webhook, int failuresBeforeAlert,
      java.time.Duration minInterval) {

    /** Validates the {@code notify} section, its secrets resolved by {@code secrets}; absent means off. */
    static NotifySettings from(RawConfig.Notify n, Secrets secrets) {
      if (n == null) {
        return new NotifySettings(null, null, 3, java.time.Duration.ofMinutes(10));
      }
      int failures = requireNonNullElse(n.failuresBeforeAlert(), 3);
      if (failures < 1 || failures > 1000) {
        throw new ConfigException("notify.failures_before_alert", failures + " is outside 1..1000");
      }
      java.time.Duration interval = n.minInterval() == null ? java.time.Duration.ofMinutes(10)
          : Durations.parse("notify.min_interval", n.minInterval());
      return new NotifySettings(Channel.from("notify.feishu_bot", n.feishuBot(), "feishu_bot_secret", secrets),
          Channel.from("notify.webhook", n.webhook(), "webhook_secret", secrets), failures, interval);
    }

    /** No channel configured. */
    public boolean off() {
      return feishuBot == null && webhook == null;
    }
  }

  /** A webhook URL (a credential itself: never logged) and its optional signing secret. */
  public record Channel(java.net.URI url, io.feishuipsync.core.Secret secret) {

    /** Validates the channel at {@code key}; its secret may also be the systemd credential {@code credential}. */
    static Channel from(String key, RawConfig.Channel c, String credential, Secrets secrets) {
      if (c == null) {
        return null;
      }
      if (c.url() == null) {
        throw new ConfigException(key + ".url", "missing");
      }
      java.net.URI url;
      try {
        url = new java.net.URI(c.url());
        if (url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
          throw new URISyntaxException(c.url(), "not http(s)");
        }
      } catch (URISyntaxException e) {
        // The URL may hold a token: do not repeat it.
        throw new ConfigException(key + ".url", "is not an http(s) URL");
      }
      return new Channel(url, secrets.channelSecret(key, c, credential));
    }

    @Override
    public String toString() {
      return "Channel[" + url.getHost() + "]";
    }
  }
}
