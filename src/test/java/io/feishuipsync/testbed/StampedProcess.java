package io.feishuipsync.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process of the product (the daemon, a one-shot sync) whose output lines the test reads as they come, each
 * stamped with when it arrived, so that a test can say how far apart two runs' reports were without trusting the
 * process's own clock or log format.
 */
public final class StampedProcess implements AutoCloseable {

  /** One line of output and when the test read it (ms since the process started). */
  public record Line(long atMillis, String text) {}

  private final Process process;
  private final long started = System.nanoTime();
  private final List<Line> lines = new ArrayList<>();
  private final Thread reader;

  private StampedProcess(Process process) {
    this.process = process;
    reader = new Thread(this::read, "stamped-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code argv} with {@code env} added, stdout and stderr together. */
  public static StampedProcess start(List<String> argv, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new StampedProcess(pb.start());
  }

  /** The product's jar as the build left it, run by this JVM's java with a small heap: {@code java ... -jar}. */
  public static List<String> jar(String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(List.of(java, "-Xmx160m", "-XX:TieredStopAtLevel=1", "-jar",
        System.getProperty("feishuipsync.jar", "target/feishu-ipsync.jar")));
    argv.addAll(List.of(args));
    return argv;
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String l;
      while ((l = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(new Line((System.nanoTime() - started) / 1_000_000, l));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** Every line so far. */
  public List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The lines so far that {@code which} accepts. */
  public List<Line> lines(Predicate<String> which) {
    return lines().stream().filter(l -> which.test(l.text())).toList();
  }

  /** Everything it printed, one line each. */
  public String output() {
    return String.join("\n", lines().stream().map(Line::text).toList());
  }

  /** Waits for it to end within {@code seconds} and for its last line to be read; its exit code, or -1. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      return -1;
    }
    reader.join(5000);
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills it (SIGKILL) and waits for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    reader.join(5000);
  }
}
