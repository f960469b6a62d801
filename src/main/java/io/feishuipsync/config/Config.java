package io.feishuipsync.config;

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
 * @param logging log format and level
 * @param writers each writer's type and still-unbuilt settings, in config order
 */
public record Config(
    Path source,
    FeishuSettings feishu,
    ScheduleSettings schedule,
    Path stateDir,
    GuardSettings guard,
    LoggingSettings logging,
    List<WriterSpec> writers) {

  /** Log output: {@code text} or {@code json}, and the root level. */
  public record LoggingSettings(String format, String level) {}
}
