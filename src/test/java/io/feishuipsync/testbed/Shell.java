package io.feishuipsync.testbed;

import io.feishuipsync.exec.CommandResult;

/** A place the tests run commands in: the testbed container, the systemd container. */
public interface Shell {

  /** Runs {@code argv} there and returns its result. */
  CommandResult exec(String... argv);

  /** Runs a shell script there and fails the test when it exits non-zero; returns what it printed. */
  String sh(String script);
}
