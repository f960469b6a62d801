package io.feishuipsync.writer;

import io.feishuipsync.config.ConfigException;

/**
 * One kind of writer as it appears in the config ({@code type: nftables}). Its settings are a record read by
 * Jackson from the writer's YAML node (snake_case keys, unknown keys refused).
 *
 * @param <C> the settings record
 */
public interface WriterType<C> {

  /** The value of {@code type:} in the config. */
  String type();

  /** The settings record. */
  Class<C> settingsClass();

  /**
   * Validates the settings and builds the writer. Throws {@link ConfigException} naming the offending key (relative
   * to the writer, e.g. {@code ports}); changes nothing on the host.
   */
  Writer create(C settings, WriterContext context);
}
