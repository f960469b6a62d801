package io.feishuipsync.source.http;

import io.feishuipsync.core.Sanitize;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.MessageConstraintException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every sender's client does between two attempts, and how it names a failure on the wire. */
public final class Waits {

  private static final Logger log = LoggerFactory.getLogger(Waits.class);

  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

  private Waits() {}

  /** Exponential backoff with equal jitter: half fixed, half random. */
  public static Duration backoff(int attempt) {
    long ms = BACKOFF_BASE.toMillis() << Math.min(attempt - 1, 16);
    ms = Math.min(ms, BACKOFF_CAP.toMillis());
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }

  /** Whole seconds from header {@code name}, or null when it is absent or not a plain small number. */
  public static Duration seconds(String name, String value) {
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
  public static Duration retryAfter(String value, Clock clock) {
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

  /** What went wrong on the wire, in words; never an exception's class name. */
  public static String describe(IOException e) {
    String detail = e.getMessage() == null ? "" : " (" + Sanitize.text(e.getMessage(), 120) + ")";
    if (e instanceof MessageConstraintException) {
      return "its headers exceed " + BoundedClient.MAX_HEADERS + " lines or " + BoundedClient.MAX_HEADER_LINE
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
}
