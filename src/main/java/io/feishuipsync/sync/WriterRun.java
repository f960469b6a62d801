package io.feishuipsync.sync;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.core.WriterResult;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings one writer from what it holds to its scope of the list, or in a dry run says what that would change. */
final class WriterRun {

  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  private WriterRun() {
  }

  /**
   * Applies {@code list}, this writer's part of the run's list, to {@code w}; {@code lastApplied} is its part of what
   * the last run applied, if anything was.
   */
  static WriterResult apply(Writer w, Holding holding, SortedSet<IpRange> list,
      Optional<SortedSet<IpRange>> lastApplied, boolean dryRun) {
    SortedSet<IpRange> desired = w.scope(list);
    ChangeSet c = ChangeSet.between(holding.entries(), desired);
    if (holding.inSync(desired)) {
      return new WriterResult(w.name(), WriterResult.Outcome.UNCHANGED, desired.size(), 0, 0, List.of(), null);
    }
    Optional<SortedSet<IpRange>> left = lastApplied.map(w::scope);
    boolean created = Drift.isCreation(holding, left);
    // What a first sync finds missing it creates: that is no one's drift, and the summary says so.
    List<String> drift = created ? List.of() : holding.drift();
    if (dryRun) {
      return new WriterResult(w.name(), WriterResult.Outcome.WOULD_CHANGE, holding.entries().size(),
          c.added().size(), c.removed().size(), drift, null, created);
    }
    Drift.report(w.name(), holding, left, created);
    try {
      w.apply(desired, c);
      log.info("{}: now holds {} entries ({})", w.name(), desired.size(), c);
      return new WriterResult(w.name(), WriterResult.Outcome.CHANGED, desired.size(), c.added().size(),
          c.removed().size(), drift, null, created);
    } catch (WriterException e) {
      log.error("{}", e.getMessage());
      return new WriterResult(w.name(), WriterResult.Outcome.FAILED, holding.entries().size(), 0, 0,
          holding.drift(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("{}: unexpected failure", w.name(), e);
      return new WriterResult(w.name(), WriterResult.Outcome.FAILED, holding.entries().size(), 0, 0,
          holding.drift(), w.name() + ": unexpected " + e);
    }
  }
}
