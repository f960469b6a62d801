package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.sync.OwnEntries;
import io.feishuipsync.writer.WriterType;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One entry of {@code writers:}, its settings read and validated, not yet built.
 *
 * @param index position in the list, for error messages
 * @param type the registered writer type
 * @param settings the type's settings record
 * @param alsoAllow the operator's own entries for this writer alone ({@code writers[].also_allow})
 */
public record WriterSpec(int index, WriterType<?> type, Object settings, SortedSet<IpRange> alsoAllow) {

  public WriterSpec {
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
  }

  /** A writer with no own entries. */
  public WriterSpec(int index, WriterType<?> type, Object settings) {
    this(index, type, settings, new TreeSet<>());
  }

  /** Builds the writer, holding its own entries; validation already passed when the config was loaded. */
  public Writer build(WriterContext context) {
    try {
      Writer w = create(type, settings, context);
      return alsoAllow.isEmpty() ? w : new OwnEntries(w, alsoAllow);
    } catch (ConfigException e) {
      throw e.under("writers[" + index + "]");
    }
  }

  private static <C> Writer create(WriterType<C> type, Object settings, WriterContext context) {
    return type.create(type.settingsClass().cast(settings), context);
  }
}
