package io.feishuipsync.state;

import io.feishuipsync.core.ChangeSet;
import java.io.IOException;
import java.time.Instant;
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
  void appendHistory(Instant time, ChangeSet change, int total, String source) throws IOException;

  /** Records the status of the last run. */
  void saveStatus(Status status) throws IOException;

  /** The status of the last run, if any and readable. */
  Optional<Status> loadStatus();

  /** Where the state lives, for messages: a directory or a database, never a credential. */
  String where();
}
