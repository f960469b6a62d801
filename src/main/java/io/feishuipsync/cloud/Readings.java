package io.feishuipsync.cloud;

import io.feishuipsync.core.WriterException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each cloud group's last reading, kept for the next steps of the same run: a run checks every writer (reading each
 * group), reads what they hold and applies, and without this each step described every group again. Clouds throttle
 * describes per account, so a run reads each group once and converges from that reading. A reading older than
 * {@link #FRESH_SECONDS} is not reused; a run's apply forgets them all, so the next run starts from fresh ones. A
 * stale reading costs nothing unsafe: a rule added meanwhile counts as added, one removed meanwhile as removed.
 *
 * @param <G> a group as the cloud reads it
 */
public final class Readings<G> {

  /** Longer than a run's steps take, far shorter than the time between runs. */
  static final long FRESH_SECONDS = 60;

  /** Reads one group from the cloud. */
  @FunctionalInterface
  public interface Reader<G> {
    G read(String group) throws WriterException;
  }

  private record Kept<G>(G reading, long nanos) {}

  private final Reader<G> reader;
  private final Map<String, Kept<G>> kept = new ConcurrentHashMap<>();

  public Readings(Reader<G> reader) {
    this.reader = reader;
  }

  /** Reads {@code group} now, and keeps the reading for the next step. */
  public G fresh(String group) throws WriterException {
    G r = reader.read(group);
    kept.put(group, new Kept<>(r, System.nanoTime()));
    return r;
  }

  /** The reading an earlier step of this run kept, or a fresh one. */
  public G reuse(String group) throws WriterException {
    G k = kept(group);
    return k != null ? k : fresh(group);
  }

  private G kept(String group) {
    Kept<G> k = kept.get(group);
    return k != null && System.nanoTime() - k.nanos() < TimeUnit.SECONDS.toNanos(FRESH_SECONDS) ? k.reading() : null;
  }

  /** Forgets every reading: the groups are about to change, or have. */
  public void forget() {
    kept.clear();
  }
}
