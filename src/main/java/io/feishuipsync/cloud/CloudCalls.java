package io.feishuipsync.cloud;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The call loop the cloud writers share: runs one SDK call, waits out throttling with {@link Backoff} (at most
 * {@link Backoff#MAX_ATTEMPTS} attempts), and turns a failure into a {@link WriterException} of one line. Each cloud
 * says which of its errors is the service's answer and which codes mean throttling ({@link Service}), and how a
 * failure reads ({@link Failures}).
 *
 * @param <E> the SDK's exception for an answer of the service
 */
public final class CloudCalls<E extends Exception> {

  /** One SDK call; the SDKs declare checked exceptions. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws Exception;
  }

  /**
   * A cloud's API as the loop needs it.
   *
   * @param name as an interrupt message names it, e.g. {@code EC2}
   * @param answers the SDK's exception for an answer of the service
   * @param code the code of an answer, "" when it has none
   * @param throttling whether a code asks the caller to slow down
   */
  public record Service<E extends Exception>(String name, Class<E> answers, Function<E, String> code,
      Predicate<String> throttling) {}

  /** How a cloud's failures read. */
  @FunctionalInterface
  public interface Failures<E extends Exception> {

    /** One line for the operator; code, message and request id are network text, so sanitized. */
    String describe(String operation, E e, String code);

    /**
     * A failure that is not an answer of the service (network, client): the error to report. An unchecked one is the
     * SDK choking on what came back (an empty or malformed body its parser did not expect: Tencent's SDK throws a
     * NullPointerException for one, found by fuzzing); it is reported as an unreadable answer, in one line.
     */
    default WriterException other(String writer, String operation, Exception e) {
      if (e instanceof RuntimeException) {
        return new WriterException(writer, operation + " failed: the answer could not be read ("
            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Sanitize.text(e.getMessage(), 300))
            + ")", e);
      }
      return new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage()), e);
    }
  }

  private final String writer;
  private final Sleeper sleeper;
  private final Service<E> service;
  private final Failures<E> failures;

  /** Calls of {@code writer} to {@code service}. */
  public CloudCalls(String writer, Sleeper sleeper, Service<E> service, Failures<E> failures) {
    this.writer = writer;
    this.sleeper = sleeper;
    this.service = service;
    this.failures = failures;
  }

  /**
   * Runs {@code call}, again after a pause while the service says it is throttled. A {@link WriterException} the
   * call throws itself passes through unchanged.
   */
  public <T> T call(String operation, Call<T> call) throws WriterException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (WriterException e) {
        throw e;
      } catch (Exception e) {
        if (!service.answers().isInstance(e)) {
          throw failures.other(writer, operation, e);
        }
        E answer = service.answers().cast(e);
        String code = service.code().apply(answer);
        if (service.throttling().test(code) && attempt < Backoff.MAX_ATTEMPTS) {
          Backoff.pause(sleeper, attempt, writer, service.name());
          continue;
        }
        throw new WriterException(writer, failures.describe(operation, answer, code), e);
      }
    }
  }
}
