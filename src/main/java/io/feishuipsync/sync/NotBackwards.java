package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.state.DatabaseState;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source of a cluster run: a list is stamped with the database's clock when its listing began; after each fetch
 * it locks the cluster's last applied list (until the run's transaction ends) and gives up, applying nothing, when
 * the fetched list is older than that one. A node that fetched, stalled, and was replaced by another meanwhile thus
 * never rolls a cloud writer back, whatever the nodes' clocks say.
 */
public final class NotBackwards implements AddressSource {

  private static final Logger log = LoggerFactory.getLogger(NotBackwards.class);

  private final AddressSource source;
  private final DatabaseState state;
  private final Clock clock;

  /** {@code source} checked against {@code state}, its lists stamped by {@code clock}, the database's. */
  public NotBackwards(AddressSource source, DatabaseState state, Clock clock) {
    this.source = source;
    this.state = state;
    this.clock = clock;
  }

  /** {@code source} checked against {@code state}, by the database's clock read now ({@link DatabaseState#clock}). */
  public NotBackwards(AddressSource source, DatabaseState state) {
    this(source, state, state.clock());
  }

  @Override
  public SourceList fetch() throws SourceException {
    // Stamped with the database's clock when the listing began: every node orders by the same clock.
    Instant began = clock.instant();
    SourceList listed = source.fetch();
    SourceList fetched = new SourceList(listed.entries(), listed.source(), began, listed.requests());
    Optional<Instant> last;
    try {
      last = state.lockLastApplied();
    } catch (SQLException e) {
      throw new SourceException("cannot lock the cluster's last applied list: " + DatabaseState.describe(e), e);
    }
    Instant now = databaseTime();
    if (last.isPresent() && last.get().isAfter(now.plus(ReadBack.SKEW))) {
      // Not a newer list: a time no clock of the cluster has reached. A failure that counts and alerts, never a
      // silent "older than the last one" for ever.
      throw new SourceException("the cluster's last applied list is dated " + last.get() + ", after the database's"
          + " clock (" + now + "): a node's clock ran ahead or the row was edited; nothing applied until"
          + " ipsync_snapshot.fetched_at is corrected", null);
    }
    if (last.isPresent() && fetched.fetchedAt().isBefore(last.get())) {
      String why = "the list fetched at " + fetched.fetchedAt() + " is older than the one the cluster last applied"
          + " (fetched at " + last.get() + "); not applied";
      log.info("{}", why);
      // Not a failure of anyone's: a newer list is already in place.
      throw SourceException.abandoned(why);
    }
    return fetched;
  }

  private Instant databaseTime() throws SourceException {
    try {
      return state.databaseTime();
    } catch (SQLException e) {
      throw new SourceException("cannot read the cluster database's clock: " + DatabaseState.describe(e), e);
    }
  }
}
