package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.state.DatabaseState;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source of a cluster run: after each fetch it locks the cluster's last applied list (until the run's
 * transaction ends) and gives up, applying nothing, when the fetched list is older than that one. A node that
 * fetched, stalled, and was replaced by another meanwhile thus never rolls a cloud writer back.
 */
public final class NotBackwards implements AddressSource {

  private static final Logger log = LoggerFactory.getLogger(NotBackwards.class);

  private final AddressSource source;
  private final DatabaseState state;

  public NotBackwards(AddressSource source, DatabaseState state) {
    this.source = source;
    this.state = state;
  }

  @Override
  public SourceList fetch() throws SourceException {
    SourceList fetched = source.fetch();
    Optional<Instant> last;
    try {
      last = state.lockLastApplied();
    } catch (SQLException e) {
      throw new SourceException("cannot lock the cluster's last applied list: " + DatabaseState.describe(e), e);
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
}
