package io.feishuipsync.daemon;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Watch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the kernel's change events ({@code nft monitor}) and asks for an enforcement check at once when a
 * change concerns a local writer, so a flush is repaired in well under a second instead of at the next interval
 * check, which stays the net under it. A watch command that cannot start or that ends is started again with backoff;
 * meanwhile the interval check alone holds the line.
 */
public final class ChangeWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeWatch.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** Names stand at the start of an event line; a long one (many elements) is judged by its start. */
  private static final int JUDGED = 4096;

  private final List<Thread> threads = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private volatile boolean closed;

  private ChangeWatch() {
  }

  /** Starts one listener per watch; {@code changed} is called (from a listener thread) after each change of concern. */
  public static ChangeWatch start(List<Watch> watches, Runnable changed) {
    ChangeWatch w = new ChangeWatch();
    for (Watch watch : watches) {
      Thread t = new Thread(() -> w.listen(watch, changed), "watch-" + watch.argv().get(0));
      t.setDaemon(true);
      w.threads.add(t);
      t.start();
    }
    return w;
  }

  private void listen(Watch watch, Runnable changed) {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      String why;
      try {
        Process p = start(watch);
        log.info("watching for changes with {}", String.join(" ", watch.argv()));
        read(p, watch, changed);
        why = "it ended (exit " + p.waitFor() + ")";
        forget(p);
        backoff = FIRST_BACKOFF;
      } catch (IOException e) {
        why = "it cannot run: " + Sanitize.text(e.getMessage());
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      log.warn("{}: {}; the interval check alone finds changes until it runs again in {}",
          String.join(" ", watch.argv()), why, io.feishuipsync.core.Durations.format(backoff));
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private synchronized Process start(Watch watch) throws IOException {
    if (closed) {
      throw new IOException("stopping");
    }
    ProcessBuilder pb = new ProcessBuilder(watch.argv()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("LC_ALL", "C");
    Process p = pb.start();
    p.getOutputStream().close();
    processes.add(p);
    return p;
  }

  private synchronized void forget(Process p) {
    processes.remove(p);
  }

  /** Reads the events; a change of concern, once its transaction has ended, asks for a check. */
  private void read(Process p, Watch watch, Runnable changed) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      boolean concerns = false;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(watch.endOfChange())) {
          if (concerns) {
            changed.run();
          }
          concerns = false;
        } else {
          concerns |= watch.concerns(line.length() > JUDGED ? line.substring(0, JUDGED) : line);
        }
      }
    }
  }

  /** Stops every watch command. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      processes.forEach(Process::destroy);
    }
    threads.forEach(Thread::interrupt);
  }
}
