package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RestoreStep;
import io.feishuipsync.core.Watch;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** A writer that holds the operator's own entries for it ({@code writers[].also_allow}) beside the list. */
public final class OwnEntries implements Writer, AutoCloseable {

  private final Writer writer;
  private final SortedSet<IpRange> entries;

  public OwnEntries(Writer writer, SortedSet<IpRange> entries) {
    this.writer = writer;
    this.entries = Collections.unmodifiableSortedSet(new TreeSet<>(entries));
  }

  /** This writer's own entries. */
  public SortedSet<IpRange> entries() {
    return entries;
  }

  @Override
  public String name() {
    return writer.name();
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    SortedSet<IpRange> all = new TreeSet<>(desired);
    all.addAll(entries);
    return writer.scope(AddressSets.withoutCovered(all));
  }

  @Override
  public void check() throws WriterException {
    writer.check();
  }

  @Override
  public Holding read() throws WriterException {
    return writer.read();
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    writer.apply(desired, change);
  }

  @Override
  public boolean local() {
    return writer.local();
  }

  @Override
  public List<RestoreStep> restore(SortedSet<IpRange> desired) {
    return writer.restore(desired);
  }

  @Override
  public Set<String> targets() {
    return writer.targets();
  }

  @Override
  public Watch watch() {
    return writer.watch();
  }

  @Override
  public void teardown() throws WriterException {
    writer.teardown();
  }

  @Override
  public void close() throws Exception {
    if (writer instanceof AutoCloseable c) {
      c.close();
    }
  }
}
