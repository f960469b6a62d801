package io.feishuipsync.exec;

import java.util.List;

/** What a finished command returned. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** One line for an error message: the program, its exit code and the first line of stderr. */
  public String describeFailure() {
    String firstLine = stderr == null ? "" : stderr.strip().lines().findFirst().orElse("");
    return argv.get(0) + " exited " + exitCode + (firstLine.isEmpty() ? "" : ": " + firstLine);
  }
}
