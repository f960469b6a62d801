package io.feishuipsync.writer;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.exec.CommandRunner;
import java.nio.file.Path;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * What a writer may use besides its own configuration.
 *
 * @param runner runs external commands (real processes in production, a stateful fake in unit tests)
 * @param stateDir the daemon's state directory
 * @param lastApplied the list of the last successful sync (empty when unknown)
 * @param serving true in the long-running daemon ({@code run}): only there may a writer hold a port open to serve
 *     its target; a one-shot {@code sync} or a dry run beside the daemon must not take it
 * @param credentials systemd's {@code $CREDENTIALS_DIRECTORY}, or null when the service has none
 */
public record WriterContext(CommandRunner runner, Path stateDir, Supplier<SortedSet<IpRange>> lastApplied,
    boolean serving, Path credentials) {

  /** A daemon's context without systemd credentials, for tests. */
  public WriterContext(CommandRunner runner, Path stateDir, Supplier<SortedSet<IpRange>> lastApplied) {
    this(runner, stateDir, lastApplied, true, null);
  }

}
