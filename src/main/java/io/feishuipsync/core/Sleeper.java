package io.feishuipsync.core;

import java.time.Duration;

/** Waits; a seam so that retry and rate-limit waits are observable and instant in tests. */
@FunctionalInterface
public interface Sleeper {

  /** The real clock. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
