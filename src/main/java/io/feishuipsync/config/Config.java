package io.feishuipsync.config;

import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.feishu.FeishuSettings;
import java.nio.file.Path;
import java.util.List;

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
 * @param writers each writer's type and still-unbuilt settings, in config order
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
    List<WriterSpec> writers) {

  /** Log output: {@code text} or {@code json}, and the root level. */
  public record LoggingSettings(String format, String level) {}

  /**
   * Where metrics go: an HTTP listener and/or a node_exporter textfile; both null means off.
   *
   * @param listen address of the {@code /metrics} endpoint, or null
   * @param textfile path of the {@code .prom} file, or null
   * @param allowSharedDirectory write the textfile even where another account may write its directory
   */
  public record MetricsSettings(java.net.InetSocketAddress listen, Path textfile, boolean allowSharedDirectory) {}

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

    /** No channel configured. */
    public boolean off() {
      return feishuBot == null && webhook == null;
    }
  }

  /** A webhook URL (a credential itself: never logged) and its optional signing secret. */
  public record Channel(java.net.URI url, io.feishuipsync.core.Secret secret) {

    @Override
    public String toString() {
      return "Channel[" + url.getHost() + "]";
    }
  }
}
