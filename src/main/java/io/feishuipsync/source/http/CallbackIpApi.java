package io.feishuipsync.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.Source;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * The callback IP list of Tencent's messaging platforms (WeCom, a WeChat Official Account): {@code GET
 * /cgi-bin/getcallbackip?access_token=...} behind an access token, every answer {@code {"errcode", "errmsg"}}. The
 * token is kept until shortly before it expires; one that has expired or was replaced ({@code 42001}, {@code 40014},
 * {@code 40001}) is fetched again once and the list asked again; a busy system ({@code -1}) and a rate limit ({@code
 * 45009}) are retried within the fetch's limits. The token and the secret travel in the query string and never
 * appear in a message.
 */
public final class CallbackIpApi implements Source {

  static final String LIST_PATH = "/cgi-bin/getcallbackip";
  private static final Set<Long> TOKEN_STALE = Set.of(42001L, 40014L, 40001L);
  private static final long BUSY = -1;
  private static final long RATE_LIMITED = 45009;
  private static final Pattern TOKEN_TEXT = Pattern.compile("[\\x21-\\x7e]{1,2048}");
  private static final Duration MARGIN = Duration.ofMinutes(5);

  private final String who;
  private final URI base;
  private final Supplier<HttpUriRequestBase> tokenRequest;
  private final Map<Long, String> refusals;
  private final Fetcher fetcher;
  private final Clock clock;
  private String token;
  private Instant tokenUntil = Instant.MIN;

  /**
   * The list of {@code who} at {@code base}; {@code tokenRequest} makes a fresh request for a token, and {@code
   * refusals} says what to do about each error code of a refused token request.
   */
  public CallbackIpApi(String who, URI base, Supplier<HttpUriRequestBase> tokenRequest, Map<Long, String> refusals,
      Fetcher fetcher, Clock clock) {
    this.who = who;
    this.base = base;
    this.tokenRequest = tokenRequest;
    this.refusals = Map.copyOf(refusals);
    this.fetcher = fetcher;
    this.clock = clock;
  }

  /** {@code value} made safe for a query string. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public SourceList fetch() throws SourceException {
    return fetcher.fetch(attempts -> {
      Instant begun = clock.instant();
      for (int round = 1; ; round++) {
        String t = token(attempts);
        HttpGet get = new HttpGet(base + LIST_PATH + "?access_token=" + query(t));
        Reply r = fetcher.send(get, "the callback IP list", attempts, CallbackIpApi::retry);
        JsonNode body = body(r, "the callback IP list");
        Long code = code(body);
        if (code != null && code != 0 && TOKEN_STALE.contains(code) && round == 1) {
          token = null;
          continue;
        }
        if (code != null && code != 0) {
          throw refused(r, body, who + " refused the callback IP list");
        }
        SortedSet<IpRange> list = Entries.fromJson(body.get("ip_list"), who, "ip_list");
        return new SourceList(list, base.toString(), begun, attempts.requests());
      }
    });
  }

  @Override
  public boolean checkCredentials() throws SourceException {
    fetcher.fetch(attempts -> {
      token = null;
      return token(attempts);
    });
    return true;
  }

  private String token(Fetcher.Attempts attempts) throws SourceException {
    if (token != null && clock.instant().isBefore(tokenUntil)) {
      return token;
    }
    Reply r = fetcher.send(tokenRequest.get(), "an access token", attempts, CallbackIpApi::retry);
    JsonNode body = body(r, "an access token");
    Long code = code(body);
    if (code != null && code != 0) {
      String hint = refusals.get(code);
      throw refused(r, body, who + " refused the access token" + (hint == null ? "" : ": " + hint));
    }
    JsonNode t = body.get("access_token");
    if (t == null || !t.isTextual() || !TOKEN_TEXT.matcher(t.asText()).matches()) {
      throw Entries.invalid(who, "the token answer holds no usable access_token");
    }
    JsonNode life = body.get("expires_in");
    long seconds = life != null && life.canConvertToLong() ? life.asLong() : 0;
    // A life outside what the platforms give (7200 s) is not believed: the token is used for this fetch only.
    Duration kept = seconds >= 600 && seconds <= 86_400 ? Duration.ofSeconds(seconds).minus(MARGIN) : Duration.ZERO;
    token = t.asText();
    tokenUntil = clock.instant().plus(kept);
    return token;
  }

  /** {@code -1} (busy) and {@code 45009} (rate limit) are asked again, after a backoff. */
  private static Fetcher.Retry retry(Reply r) {
    Long code = r.status() == 200 ? code(r.json()) : null;
    if (code != null && code == BUSY) {
      return new Fetcher.Retry("system busy (errcode -1)", null, false);
    }
    if (code != null && code == RATE_LIMITED) {
      return new Fetcher.Retry("rate limited (errcode 45009)", null, true);
    }
    return null;
  }

  private JsonNode body(Reply r, String what) throws SourceException {
    if (r.status() != 200) {
      throw new SourceException(who + " answered HTTP " + r.status() + " to the request for " + what
          + ", nothing applied", r.status(), null, null, null, null);
    }
    JsonNode body = r.json();
    if (!body.isObject()) {
      throw Entries.invalid(who, "the answer to the request for " + what + " is not a JSON object");
    }
    return body;
  }

  private static Long code(JsonNode body) {
    JsonNode c = body.get("errcode");
    return c != null && c.isIntegralNumber() && c.canConvertToLong() ? c.asLong() : null;
  }

  private static SourceException refused(Reply r, JsonNode body, String what) {
    JsonNode m = body.get("errmsg");
    String msg = m == null || m.isNull() ? null : Sanitize.text(m.asText(), 200);
    Long code = code(body);
    return new SourceException(what + ", nothing applied", r.status(), code, msg, null, null);
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
