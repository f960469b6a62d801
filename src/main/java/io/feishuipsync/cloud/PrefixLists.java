package io.feishuipsync.cloud;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.WriterException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;

/** What the cloud prefix list writers share: a list holds one address family, and a change races other changes. */
public final class PrefixLists {

  /** One read, plan and change of the list. */
  @FunctionalInterface
  public interface Attempt {
    void run() throws WriterException;
  }

  private PrefixLists() {}

  /** The addresses of {@code desired} of {@code family}; all of them while the family is not known yet (null). */
  public static TreeSet<IpRange> scope(SortedSet<IpRange> desired, IpRange.Family family) {
    TreeSet<IpRange> out = new TreeSet<>();
    desired.stream().filter(r -> family == null || r.family() == family).forEach(out::add);
    return out;
  }

  /**
   * Runs {@code attempt}, which reads the list and changes it, again when someone else changed the list in between
   * ({@code conflict} says so), at most {@code maxAttempts} times in all; {@code log} is the writer's.
   */
  public static void update(String writer, int maxAttempts, Predicate<WriterException> conflict, Attempt attempt,
      Logger log) throws WriterException {
    for (int conflicts = 0; ; conflicts++) {
      try {
        attempt.run();
        return;
      } catch (WriterException e) {
        if (!conflict.test(e) || conflicts + 1 >= maxAttempts) {
          throw e;
        }
        log.info("{}: the list changed while being updated ({}); reading it again", writer, e.getMessage());
      }
    }
  }
}
