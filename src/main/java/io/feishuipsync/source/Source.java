package io.feishuipsync.source;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.SourceException;

/** One sender's list as a running daemon asks for it: fetched, abandoned when the daemon stops, closed at the end. */
public interface Source extends AddressSource, AutoCloseable {

  /** Abandons the fetch in progress (its request and its waits) and every later one; the daemon is stopping. */
  default void stop() {}

  /**
   * Asks the sender for a credential once, for {@code check-config --online}; false when it has none to check (it
   * asks nothing).
   */
  default boolean checkCredentials() throws SourceException {
    return false;
  }

  @Override
  default void close() {}
}
