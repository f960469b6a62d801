package io.feishuipsync.exec;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The one seam over processes. Commands are argument lists, never shell strings; unit tests use a stateful fake of
 * nft, ipset and iptables ({@code FakeFirewall}, in the test sources), integration tests the real binaries.
 */
public interface CommandRunner {

  /**
   * Runs {@code argv} with {@code stdin} (may be empty) and waits at most {@code timeout}.
   *
   * @throws IOException when the program cannot be started (e.g. not installed) or does not finish in time
   */
  CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws IOException, InterruptedException;

  /** Runs with no input and a one-minute limit. */
  default CommandResult run(List<String> argv) throws IOException, InterruptedException {
    return run(argv, new byte[0], Duration.ofMinutes(1));
  }
}
