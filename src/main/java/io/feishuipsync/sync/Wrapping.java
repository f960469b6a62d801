package io.feishuipsync.sync;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.RestoreStep;
import io.feishuipsync.core.Watch;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/** A writer that passes everything to the writer it wraps but what a subclass changes. */
abstract class Wrapping implements Writer, AutoCloseable {

  protected final Writer writer;

  protected Wrapping(Writer writer) {
    this.writer = writer;
  }

  /** The writer wrapped. */
  Writer inner() {
    return writer;
  }

  @Override
  public String name() {
    return writer.name();
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return writer.scope(desired);
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
