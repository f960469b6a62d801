package io.feishuipsync.sync;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import java.util.Optional;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What changed in a writer's target since the last sync left it, told to the operator before it is repaired. */
final class Drift {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  private Drift() {
  }

  /**
   * True when the writer's target is being built, not repaired: it holds nothing, no earlier sync left entries in
   * it, and a part of it is missing (a table, chain or set not there yet).
   */
  static boolean isCreation(Holding holding, Optional<SortedSet<IpRange>> left) {
    return holding.entries().isEmpty() && left.map(SortedSet::isEmpty).orElse(true)
        && holding.drift().stream().anyMatch(Holding::isMissingPart);
  }

  /**
   * Warns about what someone else changed in {@code writer}'s target since the last sync left it holding
   * {@code left}. A target being {@code created} is not news.
   */
  static void report(String writer, Holding holding, Optional<SortedSet<IpRange>> left, boolean created) {
    for (String d : holding.drift()) {
      if (created) {
        log.info("{}: {}; creating it", writer, d);
      } else {
        log.warn("{}: drift: {}; repairing", writer, d);
      }
    }
    if (left.isPresent() && !holding.entries().equals(left.get())) {
      ChangeSet meddled = ChangeSet.between(left.get(), holding.entries());
      log.warn("{}: drift: holds {} entries the last sync did not write and lacks {} it did (changed by someone"
          + " else, or by a run that could not save its state); repairing", writer, meddled.added().size(),
          meddled.removed().size());
    }
  }
}
