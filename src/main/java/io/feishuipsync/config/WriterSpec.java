package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/**
 * One entry of {@code writers:}, its settings read and validated, not yet built.
 *
 * @param index position in the list, for error messages
 * @param type the registered writer type
 * @param settings the type's settings record
 */
public record WriterSpec(int index, WriterType<?> type, Object settings) {

  /** Builds the writer; validation already passed when the config was loaded. */
  public Writer build(WriterContext context) {
    try {
      return create(type, settings, context);
    } catch (ConfigException e) {
      throw e.under("writers[" + index + "]");
    }
  }

  private static <C> Writer create(WriterType<C> type, Object settings, WriterContext context) {
    return type.create(type.settingsClass().cast(settings), context);
  }
}
