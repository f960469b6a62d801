package io.feishuipsync.writer;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import java.util.function.BiFunction;

/**
 * One kind of writer as it appears in the config ({@code type: nftables}). Its settings are a record read by
 * Jackson from the writer's YAML node (snake_case keys, unknown keys refused).
 *
 * @param type the value of {@code type:} in the config
 * @param settingsClass the settings record
 * @param factory validates the settings and builds the writer, as {@link #create}
 * @param <C> the settings record
 */
public record WriterType<C>(String type, Class<C> settingsClass, BiFunction<C, WriterContext, Writer> factory) {

  /** The type named {@code type} in the config, reading {@code settingsClass}, built by {@code factory}. */
  public static <C> WriterType<C> of(String type, Class<C> settingsClass,
      BiFunction<C, WriterContext, Writer> factory) {
    return new WriterType<>(type, settingsClass, factory);
  }

  /**
   * Validates the settings and builds the writer. Throws {@link ConfigException} naming the offending key (relative
   * to the writer, e.g. {@code ports}); changes nothing on the host.
   */
  public Writer create(C settings, WriterContext context) {
    return factory.apply(settings, context);
  }
}
