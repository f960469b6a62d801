package io.feishuipsync.core;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * One firewall backend. A writer converges its target to the full desired list, so a run after a failure, or after
 * someone else changed the target, repairs it. Every method either succeeds or leaves the target as it was.
 */
public interface Writer {

  /** Stable, unique name used in logs, {@code status} and results, e.g. {@code file:/etc/nginx/feishu.conf}. */
  String name();

  /**
   * The part of the list this writer manages, e.g. only IPv4 for an IPv4 prefix list. The sync compares and applies
   * this part only.
   */
  default SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return desired;
  }

  /**
   * The shared objects whose rules this writer owns (a security group with its marker, a prefix list, a chain), one
   * phrase each; two writers naming the same one would undo each other's changes, and the config refuses them.
   */
  default Set<String> targets() {
    return Set.of();
  }

  /** Can this writer run here (binary present, permission held, target valid)? Changes nothing. */
  void check() throws WriterException;

  /** What the target holds now, read back from it; empty entries when the writer has created nothing yet. */
  Holding read() throws WriterException;

  /**
   * Makes the target hold exactly {@code desired} and repairs any drift. {@code change} is the difference from the
   * entries {@link #read()} returned just before (it may be empty when only drift is repaired). Atomic: on failure
   * the target still holds what it held before.
   */
  void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException;

  /**
   * True when the target is on this host and cheap to read (a kernel firewall, a file): the daemon reads it back
   * every {@code enforce.interval} and repairs it, and before a first list it holds only the operator's own entries.
   */
  default boolean local() {
    return false;
  }

  /**
   * What the kernel tools alone must load at boot so that the target holds {@code desired} again, in order; empty
   * when the target outlives a reboot by itself (a file) or is not on this host.
   */
  default List<RestoreStep> restore(SortedSet<IpRange> desired) {
    return List.of();
  }

  /**
   * How to hear of a change to the target as it happens (an event stream of the kernel), or null when only the
   * interval check finds it. May run a command to find out; called once when the daemon starts.
   */
  default Watch watch() {
    return null;
  }

  /**
   * Removes everything this writer created (and nothing else), for the {@code teardown} command. The daemon never
   * calls it: stopping leaves the rules in place.
   */
  default void teardown() throws WriterException {}
}
