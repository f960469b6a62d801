package io.feishuipsync.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop. Handling the signal (rather than a shutdown hook) lets the daemon
 * finish its sync and exit 0, which systemd reads as a clean stop.
 */
public final class Signals {

  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Calls {@code action} once on SIGTERM or SIGINT. */
  public static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          log.info("received SIG{}", name);
          action.run();
        });
      } catch (IllegalArgumentException e) {
        log.warn("cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
  }
}
