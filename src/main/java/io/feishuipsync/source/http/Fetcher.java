package io.feishuipsync.source.http;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.MessageConstraintException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sender's API asked over HTTP, one request at a time: each request bounded in time and size, retried a bounded
 * number of times on a transport failure, a 5xx or what the sender calls a rate limit (waiting what it asks within
 * {@code max_rate_limit_wait}), never waiting past {@code max_retry_time} in one fetch; {@link #stop()} abandons
 * the fetch in progress and every later one. A message never holds a request's URL: some senders take their
 * secret in the query.
 */
public final class Fetcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);

  /** The largest body any sender may answer with; a type sets its own cap at or below it. */
  public static final int MAX_BODY_LIMIT = 64 * 1024 * 1024;
  /** A rate-limit wait shorter than this would only hit the limit again. */
  private static final Duration RATE_LIMIT_MIN_WAIT = Duration.ofSeconds(1);

  /**
   * How hard to try.
   *
   * @param connectTimeout TCP connect timeout
   * @param responseTimeout time allowed for each read
   * @param maxAttempts attempts per request for a retryable failure
   * @param maxRetryTime total time one fetch may spend waiting between attempts
   * @param maxRateLimitWait longest single wait honoured of what the sender asks
   * @param maxBytes answers larger than this are refused before they are read whole
   */
  public record Settings(Duration connectTimeout, Duration responseTimeout, int maxAttempts, Duration maxRetryTime,
      Duration maxRateLimitWait, int maxBytes) {

    /** The defaults, with answers capped at {@code maxBytes}. */
    public static Settings defaults(int maxBytes) {
      return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), 5, Duration.ofMinutes(5),
          Duration.ofMinutes(2), maxBytes);
    }
  }

  /**
   * Why an answer is to be asked again: {@code reason} for the log and the final failure, {@code asked} the wait the
   * sender asked for (null: back off).
   */
  public record Retry(String reason, Duration asked, boolean rateLimit) {}

  /** A fetch's work, run by {@link #fetch}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Attempts attempts) throws SourceException;
  }

  /** Requests sent and waiting spent in one fetch. */
  public static final class Attempts {
    private int requests;
    private Duration waited = Duration.ZERO;

    /** HTTP requests sent so far. */
    public int requests() {
      return requests;
    }
  }

  private final String who;
  private final String key;
  private final Settings settings;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Flight flight;

  /**
   * A fetcher of the sender {@code who} (e.g. {@code GitHub}), which is at {@code key} in the config (named when a
   * limit is reached).
   */
  public Fetcher(String who, String key, Settings settings, Sleeper sleeper, Clock clock) {
    this.who = who;
    this.clock = clock;
    this.key = key;
    this.settings = settings;
    this.sleeper = sleeper;
    this.flight = new Flight(settings.connectTimeout(), settings.responseTimeout(), "source-deadline");
  }

  /** Who is asked, as messages name it. */
  public String who() {
    return who;
  }

  /** The longest single wait honoured of what the sender asks. */
  public Duration maxRateLimitWait() {
    return settings.maxRateLimitWait();
  }

  /**
   * Runs one fetch: abandoned at once after {@link #stop()}, and whatever an answer held that {@code work} did not
   * expect is one line, not a stack trace.
   */
  public <T> T fetch(Work<T> work) throws SourceException {
    flight.begin();
    try {
      return work.run(new Attempts());
    } catch (SourceException e) {
      throw flight.stopped() ? Flight.abandoned() : e;
    } catch (RuntimeException e) {
      if (flight.stopped()) {
        throw Flight.abandoned();
      }
      log.debug("unexpected failure while reading {}'s answers", who, e);
      throw new SourceException("unusable answer from " + who + ", nothing applied: "
          + Sanitize.text(String.valueOf(e.getMessage())), null);
    } finally {
      flight.end();
    }
  }

  /** Cancels the request in flight, interrupts the fetching thread, and refuses every later fetch. */
  public void stop() {
    flight.stop();
  }

  /**
   * Sends {@code request} until {@code retry} (and the 5xx and 429 rules) no longer asks for another attempt, and
   * returns that answer; a transport failure is retried likewise. {@code what} names the request in messages.
   */
  public Reply send(HttpUriRequestBase request, String what, Attempts attempts, Function<Reply, Retry> retry)
      throws SourceException {
    String failure = null;
    Reply last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Duration wait;
      attempts.requests++;
      try {
        last = execute(request);
        Retry again = last.status() == 429 ? new Retry("rate limited (HTTP 429)",
            Waits.retryAfter(last.header("Retry-After"), clock), true)
            : last.status() >= 500 ? new Retry("HTTP " + last.status(), Waits.retryAfter(last.header("Retry-After"),
                clock), false)
            : retry.apply(last);
        if (again == null) {
          return last;
        }
        failure = again.reason();
        wait = wait(again, attempt);
        log.warn("{} answered {} on {}; waiting {} ms", who, failure, what, wait.toMillis());
      } catch (CappedBody.TooLarge | MessageConstraintException e) {
        throw new SourceException("invalid answer from " + who + " to " + what + ", nothing applied: "
            + (e instanceof CappedBody.TooLarge ? e.getMessage() : Waits.describe(e)), null);
      } catch (IOException e) {
        if (flight.stopped()) {
          throw Flight.abandoned();
        }
        last = null;
        failure = Waits.describe(e);
        wait = Waits.backoff(attempt);
        log.warn("request to {} for {} failed: {}; retrying", who, what, failure);
      }
      if (attempt == settings.maxAttempts()) {
        break;
      }
      if (attempts.waited.plus(wait).compareTo(settings.maxRetryTime()) > 0) {
        throw new SourceException("gave up on " + what + " after " + attempt + " attempt(s): waiting again would"
            + " exceed the " + settings.maxRetryTime().toSeconds() + " s one fetch of " + key + " may wait in all;"
            + " last failure: " + failure, last == null ? 0 : last.status(), null, null, null, null);
      }
      attempts.waited = attempts.waited.plus(wait);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw flight.stopped() ? Flight.abandoned()
            : new SourceException("interrupted while waiting to retry " + what, e);
      }
      request.reset();
    }
    throw new SourceException("gave up on " + what + " after " + settings.maxAttempts() + " attempts; last failure: "
        + failure, last == null ? 0 : last.status(), null, null, null, null);
  }

  private Duration wait(Retry r, int attempt) {
    if (r.asked() == null) {
      return r.rateLimit() ? Waits.backoff(attempt).plus(RATE_LIMIT_MIN_WAIT) : Waits.backoff(attempt);
    }
    if (r.asked().compareTo(settings.maxRateLimitWait()) > 0) {
      log.info("{} asked to wait {} s; waiting {} s instead, the longest single wait for {}", who,
          r.asked().toSeconds(), settings.maxRateLimitWait().toSeconds(), key);
      return settings.maxRateLimitWait();
    }
    return r.rateLimit() && r.asked().compareTo(RATE_LIMIT_MIN_WAIT) < 0 ? RATE_LIMIT_MIN_WAIT : r.asked();
  }

  /** Sends {@code request} once and reads its answer through the cap. */
  private Reply execute(HttpUriRequestBase request) throws IOException {
    return flight.send(request, response -> CappedBody.read(request, response, settings.maxBytes()));
  }

  @Override
  public void close() {
    flight.close();
  }

}
