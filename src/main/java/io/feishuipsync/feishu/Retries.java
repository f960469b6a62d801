package io.feishuipsync.feishu;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
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
  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
  /** A rate-limit wait shorter than this would only hit the limit again. */
  private static final Duration RATE_LIMIT_MIN_WAIT = Duration.ofSeconds(1);
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

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
        wait = backoff(attempt);
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
    Duration asked = seconds("x-ogw-ratelimit-reset", a.reset());
    if (asked == null) {
      asked = retryAfter(a.retryAfter());
    }
    if (asked == null) {
      return backoff(attempt);
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

  /** Whole seconds from a header, or null when it is absent or not a plain small number. */
  private static Duration seconds(String name, String value) {
    if (value == null) {
      return null;
    }
    if (!SECONDS.matcher(value.strip()).matches()) {
      log.debug("ignoring unreadable {} header \"{}\"", name, Sanitize.text(value, 40));
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(value.strip()));
  }

  /** {@code Retry-After}: delta seconds or an HTTP date; null when absent or unreadable. */
  private Duration retryAfter(String value) {
    if (value == null) {
      return null;
    }
    Duration d = seconds("Retry-After", value);
    if (d != null || SECONDS.matcher(value.strip()).matches()) {
      return d;
    }
    try {
      Duration until = Duration.between(clock.instant(),
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return until.isNegative() ? Duration.ZERO : until;
    } catch (DateTimeParseException | ArithmeticException e) {
      log.debug("ignoring unreadable Retry-After header \"{}\"", Sanitize.text(value, 40));
      return null;
    }
  }

  /** Exponential backoff with equal jitter: half fixed, half random. */
  private static Duration backoff(int attempt) {
    long ms = BACKOFF_BASE.toMillis() << Math.min(attempt - 1, 16);
    ms = Math.min(ms, BACKOFF_CAP.toMillis());
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }

  /** What went wrong on the wire, in words; never an exception's class name. */
  private static String describe(IOException e) {
    String detail = e.getMessage() == null ? "" : " (" + Sanitize.text(e.getMessage(), 120) + ")";
    if (e instanceof AnswerReader.ResponseTooLarge) {
      return e.getMessage();
    }
    if (e instanceof MessageConstraintException) {
      return "its headers exceed " + Exchange.MAX_HEADERS + " lines or " + Exchange.MAX_HEADER_LINE
          + " bytes per line";
    }
    if (e instanceof java.net.SocketTimeoutException || e instanceof InterruptedIOException) {
      return "timeout" + detail;
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect" + detail;
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host" + detail;
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "TLS failed" + detail;
    }
    if (e instanceof org.apache.hc.core5.http.NoHttpResponseException) {
      return "the server closed the connection without answering";
    }
    if (e instanceof org.apache.hc.core5.http.ConnectionClosedException) {
      return "the connection closed before the answer was complete" + detail;
    }
    if (e instanceof org.apache.hc.client5.http.ClientProtocolException) {
      return "the answer is not valid HTTP" + detail;
    }
    return "connection failed" + detail;
  }

  /** Requests sent and waiting spent in one fetch, across its restarts. */
  static final class Attempts {
    int requests;
    Duration waited = Duration.ZERO;
  }
}
