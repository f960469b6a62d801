package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** A writer that holds the operator's own entries for it ({@code writers[].also_allow}) beside the list. */
public final class OwnEntries extends Wrapping {

  private final SortedSet<IpRange> entries;

  public OwnEntries(Writer writer, SortedSet<IpRange> entries) {
    super(writer);
    this.entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }

  /** This writer's own entries. */
  public SortedSet<IpRange> entries() {
    return entries;
  }

  /** The own entries of {@code w}, routed or not; empty when it has none. */
  static SortedSet<IpRange> of(Writer w) {
    Writer x = w instanceof Routed r ? r.inner() : w;
    return x instanceof OwnEntries o ? o.entries() : Collections.emptySortedSet();
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    SortedSet<IpRange> all = new TreeSet<>(desired);
    all.addAll(entries);
    return writer.scope(AddressSets.withoutCovered(all));
  }
}
