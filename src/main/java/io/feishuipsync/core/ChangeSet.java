package io.feishuipsync.core;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** What turns one allowlist into another. */
public record ChangeSet(SortedSet<IpRange> added, SortedSet<IpRange> removed) {

  public ChangeSet {
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** The change from {@code current} to {@code desired}; pure. */
  public static ChangeSet between(java.util.Set<IpRange> current, java.util.Set<IpRange> desired) {
    TreeSet<IpRange> added = new TreeSet<>(desired);
    added.removeAll(current);
    TreeSet<IpRange> removed = new TreeSet<>(current);
    removed.removeAll(desired);
    return new ChangeSet(added, removed);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }

  @Override
  public String toString() {
    return "+" + added.size() + " -" + removed.size();
  }
}
