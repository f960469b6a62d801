package io.feishuipsync.state;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a sync reads and records: the last applied list, the history of changes and the last run's status. The
 * state directory ({@link StateStore}) holds them for one node, the cluster database ({@link DatabaseState}) for the
 * writers the nodes share.
 */
public interface SyncState {

  /** The last applied list as loaded; never throws. */
  StateStore.Loaded loadSnapshot();

  /** Replaces the last applied list. */
  void saveSnapshot(Snapshot s) throws IOException;

  /** Records one applied change; a change equal to the last one recorded is not recorded twice. */
  default void appendHistory(Instant time, ChangeSet change, int total, String source) throws IOException {
    appendHistory(time, change, total, source, Map.of());
  }

  /**
   * Records one applied change with the sources ({@code feishu}, {@code config}, ...) of each added and removed
   * entry when {@code origins} is not empty.
   */
  void appendHistory(Instant time, ChangeSet change, int total, String source, Map<IpRange, List<String>> origins)
      throws IOException;

  /** Records the status of the last run. */
  void saveStatus(Status status) throws IOException;

  /** The status of the last run, if any and readable. */
  Optional<Status> loadStatus();

  /** Where the state lives, for messages: a directory or a database, never a credential. */
  String where();
}
