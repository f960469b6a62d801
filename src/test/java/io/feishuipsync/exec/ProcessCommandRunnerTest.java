package io.feishuipsync.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {

  final ProcessCommandRunner runner = new ProcessCommandRunner();

  @Test
  void childrenGetOnlyPathAndTheCLocale() throws Exception {
    CommandResult r = runner.run(List.of("env"));
    assertEquals(List.of("LC_ALL=C", "PATH"), r.stdout().lines().map(l -> l.startsWith("PATH=") ? "PATH" : l)
        .sorted().toList());
  }

  @Test
  void stdinStdoutStderrAndExitCode() throws Exception {
    CommandResult r = runner.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"),
        "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    assertEquals(3, r.exitCode());
    assertEquals("hello", r.stdout());
    assertEquals("sh exited 3: oops", r.describeFailure());
  }

  @Test
  void argumentsAreNeverInterpretedByAShell() throws Exception {
    CommandResult r = runner.run(List.of("echo", "1.2.3.4; touch /tmp/pwned-by-test", "$(id)"));
    assertEquals("1.2.3.4; touch /tmp/pwned-by-test $(id)\n", r.stdout());
  }

  @Test
  void missingProgramAndTimeoutAreIoErrors() {
    IOException missing = assertThrows(IOException.class, () -> runner.run(List.of("/nonexistent/nft")));
    assertTrue(missing.getMessage().contains("cannot run /nonexistent/nft"), missing.getMessage());
    IOException slow = assertThrows(IOException.class,
        () -> runner.run(List.of("sleep", "10"), new byte[0], Duration.ofMillis(300)));
    assertTrue(slow.getMessage().contains("did not finish"), slow.getMessage());
  }
}
