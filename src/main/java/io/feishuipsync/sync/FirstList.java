package io.feishuipsync.sync;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The closed state before a first list ({@code enforce.before_first_list: closed}): the local writers hold only the
 * operator's own entries, so the protected ports admit loopback and those entries and nobody else.
 */
final class FirstList {

  private FirstList() {
  }

  /**
   * Brings every local writer that was read to its own entries ({@code own} and the writer's own), and tells
   * {@code enforcer}; the other writers are reported as skipped. In a dry run, says what it would change.
   */
  static List<WriterResult> close(List<Writer> writers, List<Holding> holdings, Enforcer enforcer,
      SortedSet<IpRange> own, boolean dryRun) {
    List<WriterResult> out = new ArrayList<>();
    for (int i = 0; i < writers.size(); i++) {
      Writer w = writers.get(i);
      Holding h = holdings.get(i);
      if (h == null) {
        continue;
      }
      if (!enforcer.holds(w)) {
        out.add(Holdings.skipped(w, h));
        continue;
      }
      WriterResult r = WriterRun.apply(w, h, own, Optional.empty(), dryRun);
      out.add(r);
      if (!dryRun) {
        enforcer.applied(w, r, own);
      }
    }
    return out;
  }

  /** What the outcome says of the ports. */
  static String closed(boolean dryRun, boolean ownEntries) {
    return (dryRun ? "would close the protected ports" : "the protected ports are closed") + " to all but loopback"
        + (ownEntries ? " and your own entries" : "") + " (enforce.before_first_list: closed)";
  }
}
