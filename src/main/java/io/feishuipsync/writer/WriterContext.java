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
 */
public record WriterContext(CommandRunner runner, Path stateDir, Supplier<SortedSet<IpRange>> lastApplied) {}
