package io.feishuipsync.sync;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** A writer that keeps its "firewall" in memory, can be told to fail, and counts what it was asked to do. */
final class FakeWriter implements Writer {

  private final String name;
  final TreeSet<IpRange> held = new TreeSet<>();
  final List<String> drift = new ArrayList<>();
  String failCheck;
  String failApply;
  int applies;

  FakeWriter(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void check() throws WriterException {
    if (failCheck != null) {
      throw new WriterException(name, failCheck);
    }
  }

  @Override
  public Holding read() {
    return new Holding(held, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    if (failApply != null) {
      throw new WriterException(name, failApply);
    }
    applies++;
    held.removeAll(change.removed());
    held.addAll(change.added());
    drift.clear();
    if (!held.equals(desired)) {
      throw new AssertionError("change did not lead to the desired list");
    }
  }
}
