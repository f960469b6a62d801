package io.feishuipsync.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.http.Entries;
import io.feishuipsync.source.http.Fetcher;
import io.feishuipsync.source.http.Reply;
import io.feishuipsync.source.http.Waits;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedSet;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;

/**
 * GitHub's {@code hooks} list from {@code GET /meta}. It asks with the ETag of the last list it read, and a
 * {@code 304 Not Modified} confirms that list (GitHub does not count it against the rate limit). A used-up rate
 * limit is waited out when GitHub's reset is near, else it fails at once, naming the reset and the token that
 * raises the limit.
 */
final class GithubSource implements Source {

  private static final String API_VERSION = "2022-11-28";
  /** An ETag is a quoted string of printable characters (RFC 9110); anything else is not sent back. */
  private static final Pattern ETAG = Pattern.compile("(W/)?\"[\\x21\\x23-\\x7e]{0,200}\"");

  private final URI base;
  private final Secret token;
  private final Fetcher fetcher;
  private final Clock clock;
  private String etag;
  private SortedSet<IpRange> last;

  GithubSource(URI base, Secret token, Fetcher fetcher, Clock clock) {
    this.base = base;
    this.token = token;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  @Override
  public SourceList fetch() throws SourceException {
    return fetcher.fetch(attempts -> {
      Instant begun = clock.instant();
      HttpGet get = new HttpGet(base + "/meta");
      get.setHeader("Accept", "application/vnd.github+json");
      get.setHeader("X-GitHub-Api-Version", API_VERSION);
      if (token != null) {
        get.setHeader("Authorization", "Bearer " + token.reveal());
      }
      if (etag != null && last != null) {
        get.setHeader("If-None-Match", etag);
      }
      Reply r = fetcher.send(get, "the meta API", attempts, this::retry);
      if (r.status() == 304 && last != null) {
        return new SourceList(last, base.toString(), begun, attempts.requests());
      }
      if (r.status() == 401) {
        throw new SourceException("GitHub refused the token (HTTP 401): set a valid token, or none (the meta API"
            + " needs no credentials)", 401, null, null, r.header("x-github-request-id"), null);
      }
      if (exhausted(r)) {
        throw new SourceException("GitHub's rate limit is used up until " + reset(r) + " (HTTP " + r.status()
            + "); " + (token == null ? "a token raises it" : "the token's limit is spent") + "; nothing applied",
            r.status(), null, null, r.header("x-github-request-id"), null);
      }
      if (r.status() != 200) {
        throw new SourceException("GitHub answered HTTP " + r.status() + " to the meta API, nothing applied: "
            + r.excerpt(), r.status(), null, null, r.header("x-github-request-id"), null);
      }
      JsonNode body = r.json();
      if (!body.isObject()) {
        throw Entries.invalid("GitHub", "the meta API's answer is not a JSON object");
      }
      SortedSet<IpRange> hooks = Entries.fromJson(body.get("hooks"), "GitHub", "hooks");
      String tag = r.header("ETag");
      etag = tag != null && ETAG.matcher(tag).matches() ? tag : null;
      last = hooks;
      return new SourceList(hooks, base.toString(), begun, attempts.requests());
    });
  }

  /** A used-up rate limit whose reset is near enough is waited out; any other answer is the caller's. */
  private Fetcher.Retry retry(Reply r) {
    if (!exhausted(r)) {
      return null;
    }
    Duration asked = Waits.retryAfter(r.header("Retry-After"), clock);
    if (asked == null) {
      Duration untilReset = Waits.seconds("x-ratelimit-reset", r.header("x-ratelimit-reset"));
      asked = untilReset == null ? null : Duration.ofSeconds(Math.max(0,
          untilReset.toSeconds() - clock.instant().getEpochSecond()));
    }
    return asked != null && asked.compareTo(fetcher.maxRateLimitWait()) <= 0
        ? new Fetcher.Retry("its rate limit is used up", asked, true) : null;
  }

  /** GitHub's primary or secondary rate limit: 403 or 429 with no requests remaining, or with a Retry-After. */
  private static boolean exhausted(Reply r) {
    return (r.status() == 403 || r.status() == 429)
        && ("0".equals(r.header("x-ratelimit-remaining")) || r.header("Retry-After") != null);
  }

  private static String reset(Reply r) {
    Duration epoch = Waits.seconds("x-ratelimit-reset", r.header("x-ratelimit-reset"));
    return epoch == null ? "a time GitHub did not say" : Instant.ofEpochSecond(epoch.toSeconds()).toString();
  }

  @Override
  public void stop() {
    fetcher.stop();
  }

  @Override
  public void close() {
    fetcher.close();
  }
}
