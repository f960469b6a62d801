package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.exec.ProcessCommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A container the tests run commands in (the testbed, the systemd container), through {@code docker exec}. */
public interface Shell {

  /** The container's id. */
  String containerId();

  /** Where, for a failing script's message ({@code in testbed}). */
  String where();

  /** Runs commands inside the container through {@code docker exec -i}, with stdin. */
  default CommandRunner runner() {
    ProcessCommandRunner host = new ProcessCommandRunner();
    String id = containerId();
    return (argv, stdin, timeout) -> {
      List<String> full = new ArrayList<>(List.of("docker", "exec", "-i", id));
      full.addAll(argv);
      CommandResult r = host.run(full, stdin, timeout);
      // docker exec reports a missing program itself (126/127); make it look like a local start failure.
      String said = r.stderr() + r.stdout();
      if ((r.exitCode() == 126 || r.exitCode() == 127) && said.contains("OCI runtime exec failed")
          && (said.contains("executable file not found") || said.contains("no such file or directory"))) {
        throw new IOException("cannot run " + argv.get(0) + ": No such file or directory");
      }
      return new CommandResult(argv, r.exitCode(), r.stdout(), r.stderr());
    };
  }

  /** Runs {@code argv} in the container and returns its result. */
  default CommandResult exec(String... argv) {
    try {
      return runner().run(List.of(argv), new byte[0], Duration.ofMinutes(3));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a shell script in the container and fails the test when it exits non-zero; returns what it printed. */
  default String sh(String script) {
    CommandResult r = exec("sh", "-c", script);
    if (!r.ok()) {
      fail(where() + ": `" + script + "` exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }
}
