package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.feishu.FeishuSettings;
import io.feishuipsync.metrics.MetricsSettings;
import io.feishuipsync.notify.NotifySettings;
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
 * @param enforce how the local writers are held to the last applied list between syncs
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
    ListSettings lists,
    EnforceSettings enforce) {

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
}
