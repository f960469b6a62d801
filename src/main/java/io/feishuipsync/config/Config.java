package io.feishuipsync.config;

import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.GuardSettings;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.metrics.MetricsSettings;
import io.feishuipsync.notify.NotifySettings;
import io.feishuipsync.source.feishu.FeishuSettings;
import io.feishuipsync.source.feishu.FeishuSourceType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The validated configuration.
 *
 * @param source the file it was read from
 * @param schedule when the daemon syncs
 * @param stateDir where snapshot, history, status and lock live
 * @param guard what changes are refused
 * @param validation which entries a sender may send, where it has no {@code validation} of its own
 * @param logging log format and level
 * @param metrics where metrics are exposed
 * @param notifications who is told about changes and failures
 * @param cluster the shared database of cluster mode, or null for a single node
 * @param writers each writer's type and still-unbuilt settings, in config order
 * @param lists the senders (the apps of {@code feishu} first), own entries, removal grace, source age
 * @param enforce how the local writers are held to the last applied list between syncs
 */
public record Config(
    Path source,
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

  /**
   * The settings of the first sender of type {@code feishu}, its secret resolved, or null when there is none: what
   * {@code feishu:} held when it was the only source.
   */
  public FeishuSettings feishu() {
    return lists.senders().stream().filter(s -> s.type() == FeishuSourceType.TYPE).findFirst()
        .map(s -> FeishuSourceType.settings((FeishuSourceType.Settings) s.settings(),
            s.context(java.time.Clock.systemUTC(), Sleeper.SYSTEM)))
        .orElse(null);
  }

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
