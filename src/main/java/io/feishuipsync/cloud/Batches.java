package io.feishuipsync.cloud;

import io.feishuipsync.core.WriterException;
import java.util.List;
import java.util.function.Predicate;

/** Cloud calls over a list, a batch at a time, as the security group writers make them. */
public final class Batches {

  /** One call for a batch of items. */
  @FunctionalInterface
  public interface Call<T> {
    void run(List<T> batch) throws WriterException;
  }

  private Batches() {}

  /**
   * Calls {@code call} for each batch of at most {@code size} of {@code items}, in order. A batch refused with an
   * error {@code done} accepts (a rule someone added or removed meanwhile) is made again item by item, and such a
   * refusal of one item counts as done: one item must not fail the others.
   */
  public static <T> void each(List<T> items, int size, Call<T> call, Predicate<WriterException> done)
      throws WriterException {
    for (int i = 0; i < items.size(); i += size) {
      List<T> batch = items.subList(i, Math.min(items.size(), i + size));
      try {
        call.run(batch);
      } catch (WriterException e) {
        if (!done.test(e)) {
          throw e;
        }
        for (T item : batch) {
          try {
            call.run(List.of(item));
          } catch (WriterException one) {
            if (!done.test(one)) {
              throw one;
            }
          }
        }
      }
    }
  }
}
