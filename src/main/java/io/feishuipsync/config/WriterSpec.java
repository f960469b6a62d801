package io.feishuipsync.config;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.sync.OwnEntries;
import io.feishuipsync.sync.Routed;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One entry of {@code writers:}, its settings read and validated, not yet built.
 *
 * @param index position in the list, for error messages
 * @param type the registered writer type
 * @param settings the type's settings record
 * @param alsoAllow the operator's own entries for this writer alone ({@code writers[].also_allow})
 * @param senders the names of the senders whose addresses it holds ({@code writers[].senders}); empty: every sender
 */
public record WriterSpec(int index, WriterType<?> type, Object settings, SortedSet<IpRange> alsoAllow,
    Set<String> senders) {

  public WriterSpec {
    alsoAllow = Collections.unmodifiableSortedSet(new TreeSet<>(alsoAllow));
    senders = Set.copyOf(senders);
  }

  /** A writer with no own entries, taking every sender. */
  public WriterSpec(int index, WriterType<?> type, Object settings) {
    this(index, type, settings, new TreeSet<>(), Set.of());
  }

  /**
   * Builds the writer, holding its own entries and its senders' addresses only; validation already passed when the
   * config was loaded.
   */
  public Writer build(WriterContext context) {
    try {
      Writer w = create(type, settings, context);
      Writer owned = alsoAllow.isEmpty() ? w : new OwnEntries(w, alsoAllow);
      return senders.isEmpty() ? owned : new Routed(owned, senders);
    } catch (ConfigException e) {
      throw e.under("writers[" + index + "]");
    }
  }

  private static <C> Writer create(WriterType<C> type, Object settings, WriterContext context) {
    return type.create(type.settingsClass().cast(settings), context);
  }
}
