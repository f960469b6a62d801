package io.feishuipsync.writer;

import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;

/**
 * The call loop the cloud writers share: runs one SDK call, waits out throttling with {@link Backoff} (at most
 * {@link Backoff#MAX_ATTEMPTS} attempts), and turns a failure into a {@link WriterException} of one line. Each cloud
 * says, through {@link Errors}, which of its errors is the service's answer, which codes mean throttling, and how
 * a failure reads.
 *
 * @param <E> the SDK's exception for an answer of the service
 */
public final class CloudCalls<E extends Exception> {

  /** One SDK call; the SDKs declare checked exceptions. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws Exception;
  }

  /** What a cloud's API means by its errors. */
  public interface Errors<E extends Exception> {

    /** The code of the service's answer, "" when it has none. */
    String code(E e);

    /** Whether the service asks the caller to slow down. */
    boolean isThrottling(String code);

    /** One line for the operator; code, message and request id are network text, so sanitized. */
    String describe(String operation, E e, String code);

    /**
     * A failure that is not an answer of the service (network, client, bug): the error to report, or throws it
     * unchanged where it should travel as it is.
     */
    WriterException other(String operation, Exception e);
  }

  private final String writer;
  private final String service;
  private final Sleeper sleeper;
  private final Class<E> answers;
  private final Errors<E> errors;

  /** Calls for {@code writer} to {@code service} (as named in the interrupt message), e.g. {@code EC2}. */
  public CloudCalls(String writer, String service, Sleeper sleeper, Class<E> answers, Errors<E> errors) {
    this.writer = writer;
    this.service = service;
    this.sleeper = sleeper;
    this.answers = answers;
    this.errors = errors;
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
        if (!answers.isInstance(e)) {
          throw errors.other(operation, e);
        }
        E answer = answers.cast(e);
        String code = errors.code(answer);
        if (errors.isThrottling(code) && attempt < Backoff.MAX_ATTEMPTS) {
          Backoff.pause(sleeper, attempt, writer, service);
          continue;
        }
        throw new WriterException(writer, errors.describe(operation, answer, code), e);
      }
    }
  }
}
