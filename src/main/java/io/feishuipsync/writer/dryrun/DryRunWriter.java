package io.feishuipsync.writer.dryrun;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds what the last successful sync applied, changes nothing, and logs each change it is asked to make. */
final class DryRunWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(DryRunWriter.class);

  private final Supplier<SortedSet<IpRange>> lastApplied;

  DryRunWriter(Supplier<SortedSet<IpRange>> lastApplied) {
    this.lastApplied = lastApplied;
  }

  @Override
  public String name() {
    return "dryrun";
  }

  @Override
  public void check() {}

  @Override
  public Holding read() {
    return Holding.of(lastApplied.get());
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) {
    log.info("dryrun: would allow {} entries: add {} remove {}", desired.size(), change.added(), change.removed());
  }
}
