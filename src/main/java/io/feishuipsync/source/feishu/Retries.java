package io.feishuipsync.source.feishu;

import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.source.http.Waits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.MessageConstraintException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request with bounded retries for transport failures, 5xx and rate limits, waiting what Feishu asks
 * within {@code feishu.max_rate_limit_wait}, else backing off; never waits past {@code feishu.max_retry_time}.
 */
final class Retries {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  private static final long RATE_LIMITED = 99991400L;
  /** A rate-limit wait shorter than this would only hit the limit again. */
  private static final Duration RATE_LIMIT_MIN_WAIT = Duration.ofSeconds(1);

  private final FeishuSettings settings;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Exchange exchange;

  Retries(FeishuSettings settings, Sleeper sleeper, Clock clock, Exchange exchange) {
    this.settings = settings;
    this.sleeper = sleeper;
    this.clock = clock;
    this.exchange = exchange;
  }

  /** Sends {@code request} until it gets a JSON answer that is neither a 5xx nor a rate limit, or gives up. */
  Answer send(HttpUriRequestBase request, String what, Attempts attempts) throws SourceException {
    String failure = null;
    Answer last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Duration wait;
      attempts.requests++;
      try {
        last = exchange.execute(request);
        if (last.status() == 429 || Long.valueOf(RATE_LIMITED).equals(last.code())) {
          failure = "rate limited";
          wait = retryWait(last, attempt, true);
          log.warn("Feishu rate limit on {} (log id {}); waiting {} ms", what, last.logId(), wait.toMillis());
        } else if (last.status() >= 500) {
          failure = "HTTP " + last.status();
          wait = retryWait(last, attempt, false);
          log.warn("Feishu answered {} on {} (log id {}); retrying", last.status(), what, last.logId());
        } else if (last.body() == null) {
          throw last.invalid("the answer is not JSON (" + last.unreadable()
              + (last.contentType() == null ? "" : ", content type " + last.contentType()) + ")");
        } else {
          return last;
        }
      } catch (AnswerReader.ResponseTooLarge | MessageConstraintException e) {
        throw new SourceException("invalid answer from Feishu to " + what + ", nothing applied: "
            + describe(e), null);
      } catch (IOException e) {
        if (exchange.stopped()) {
          throw Exchange.abandoned();
        }
        last = null;
        failure = describe(e);
        wait = Waits.backoff(attempt);
        log.warn("request for {} failed: {}; retrying", what, failure);
      }
      if (attempt == settings.maxAttempts()) {
        break;
      }
      if (attempts.waited.plus(wait).compareTo(settings.maxRetryTime()) > 0) {
        throw Answer.failed("gave up on " + what + " after " + attempt + " attempt(s): feishu.max_retry_time "
            + settings.maxRetryTime().toSeconds() + "s would be exceeded; last failure: " + failure, last);
      }
      attempts.waited = attempts.waited.plus(wait);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SourceException("interrupted while waiting to retry " + what, e);
      }
      request.reset();
    }
    throw Answer.failed("gave up on " + what + " after " + settings.maxAttempts() + " attempts; last failure: "
        + failure, last);
  }

  /** The wait before the next attempt: what Feishu asked for when it said so sensibly, else backoff. */
  private Duration retryWait(Answer a, int attempt, boolean rateLimited) {
    Duration asked = Waits.seconds("x-ogw-ratelimit-reset", a.reset());
    if (asked == null) {
      asked = Waits.retryAfter(a.retryAfter(), clock);
    }
    if (asked == null) {
      return Waits.backoff(attempt);
    }
    if (asked.compareTo(settings.maxRateLimitWait()) > 0) {
      log.info("Feishu asked to wait {} s; waiting feishu.max_rate_limit_wait {} s instead", asked.toSeconds(),
          settings.maxRateLimitWait().toSeconds());
      return settings.maxRateLimitWait();
    }
    if (rateLimited && asked.compareTo(RATE_LIMIT_MIN_WAIT) < 0) {
      return RATE_LIMIT_MIN_WAIT;
    }
    return asked;
  }

  /** What went wrong on the wire, in words; never an exception's class name. */
  private static String describe(IOException e) {
    return e instanceof AnswerReader.ResponseTooLarge ? e.getMessage() : Waits.describe(e);
  }

  /** Requests sent and waiting spent in one fetch, across its restarts. */
  static final class Attempts {
    int requests;
    Duration waited = Duration.ZERO;
  }
}
