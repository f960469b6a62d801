package io.feishuipsync.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the complete outbound IP list from the Feishu/Lark Open Platform: tenant token (cached, refreshed before
 * it expires), every page, bounded retries with backoff, rate limits honoured. Returns a whole, validated list or
 * throws; a partial answer is never returned. Credentials never appear in a message or a log line.
 */
public final class FeishuClient implements AddressSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  static final String LIST_PATH = "/open-apis/event/v1/outbound_ip";
  private static final Set<Long> TOKEN_INVALID = Set.of(99991663L, 99991664L, 99991671L);
  private static final long RATE_LIMITED = 99991400L;
  private static final long PARAM_INVALID = 1810001L;
  private static final Set<Long> NO_SCOPE = Set.of(99991672L, 99991679L);
  /** SDKs refresh the token this long before it expires. */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(3);
  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

  private final FeishuSettings settings;
  private final Sleeper sleeper;
  private final Clock clock;
  private final CloseableHttpClient http;
  private final ScheduledExecutorService deadlines;
  private String token;
  private Instant tokenRefreshAt = Instant.MIN;

  public FeishuClient(FeishuSettings settings, Sleeper sleeper, Clock clock) {
    this.settings = settings;
    this.sleeper = sleeper;
    this.clock = clock;
    Timeout response = Timeout.of(settings.responseTimeout());
    this.http = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                .setSocketTimeout(response)
                .build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response).build())
        // Retries are ours (bounded, logged); redirects could carry the token to another host.
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .setUserAgent("feishu-ipsync")
        .build();
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "feishu-deadline");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public SourceList fetch() throws SourceException {
    Attempts attempts = new Attempts();
    try {
      return list(attempts);
    } catch (TokenRejected first) {
      // Page tokens may belong to the old session: drop the token and start again from page 1, once.
      log.info("Feishu rejected the cached token (code {}); fetching a new one and restarting the listing",
          first.code);
      token = null;
      try {
        return list(attempts);
      } catch (TokenRejected again) {
        throw new SourceException("Feishu rejected a freshly issued token; the listing was abandoned",
            again.answer.status, again.code, again.answer.msg(), again.answer.logId, null);
      }
    }
  }

  /** Fetches a new token now: proves the app id and secret are accepted. */
  public void checkCredentials() throws SourceException {
    token = null;
    tenantToken(new Attempts());
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    try {
      http.close();
    } catch (IOException e) {
      log.debug("closing the HTTP client: {}", e.getMessage());
    }
  }

  private SourceList list(Attempts attempts) throws SourceException, TokenRejected {
    TreeSet<IpRange> entries = new TreeSet<>();
    Set<String> seenPageTokens = new HashSet<>();
    String pageToken = null;
    for (int page = 1; ; page++) {
      if (page > settings.maxPages()) {
        throw new SourceException("Feishu's listing did not end within feishu.max_pages " + settings.maxPages()
            + " pages; nothing applied", null);
      }
      String bearer = tenantToken(attempts);
      String url = settings.baseUrl() + LIST_PATH + "?page_size=" + settings.pageSize()
          + (pageToken == null ? "" : "&page_token=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
      HttpGet get = new HttpGet(url);
      get.setHeader("Authorization", "Bearer " + bearer);
      Answer a = send(get, "page " + page, attempts);
      if (a.code() != null && TOKEN_INVALID.contains(a.code())) {
        throw new TokenRejected(a);
      }
      if (a.code() == null || a.code() != 0) {
        throw listingRefused(a);
      }
      JsonNode data = a.body.path("data");
      JsonNode list = data.path("ip_list");
      if (!data.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
        throw invalid(a, "the answer has no data.ip_list array");
      }
      for (JsonNode e : list) {
        if (!e.isTextual()) {
          throw invalid(a, "entry " + abbreviate(e.toString()) + " is not a string");
        }
        try {
          entries.add(IpRange.parse(e.asText()));
        } catch (IllegalArgumentException ex) {
          throw invalid(a, "entry \"" + abbreviate(e.asText()) + "\" is not an IP address or prefix: "
              + ex.getMessage());
        }
      }
      boolean hasMore = data.path("has_more").asBoolean(false);
      if (!hasMore) {
        log.debug("listing complete: {} entries in {} page(s)", entries.size(), page);
        return new SourceList(entries, settings.baseUrl().toString(), clock.instant(), attempts.requests);
      }
      String next = data.path("page_token").asText("");
      if (next.isEmpty()) {
        throw invalid(a, "has_more is true but there is no page_token (page " + page + ")");
      }
      if (!seenPageTokens.add(next)) {
        throw invalid(a, "the page_token repeats; the listing would loop (page " + page + ")");
      }
      pageToken = next;
    }
  }

  private String tenantToken(Attempts attempts) throws SourceException {
    if (token != null && clock.instant().isBefore(tokenRefreshAt)) {
      return token;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("app_id", settings.appId());
    body.put("app_secret", settings.appSecret().reveal());
    HttpPost post = new HttpPost(settings.baseUrl() + TOKEN_PATH);
    post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
    Answer a = send(post, "token", attempts);
    if (a.code() == null || a.code() != 0) {
      throw new SourceException("Feishu rejected the app credentials: check feishu.app_id (" + settings.appId()
          + ") and the app secret", a.status, a.code(), a.msg(), a.logId, null);
    }
    String t = a.body.path("tenant_access_token").asText("");
    long expire = a.body.path("expire").asLong(0);
    if (t.isEmpty() || expire <= 0) {
      throw invalid(a, "the token answer has no tenant_access_token or expire");
    }
    token = t;
    Duration life = Duration.ofSeconds(expire);
    Duration margin = life.compareTo(TOKEN_MARGIN.multipliedBy(2)) > 0 ? TOKEN_MARGIN : life.dividedBy(2);
    tokenRefreshAt = clock.instant().plus(life).minus(margin);
    log.debug("new tenant token, valid for {}s", expire);
    return token;
  }

  /** Sends {@code request} with bounded retries for transport failures, 5xx and rate limits. */
  private Answer send(HttpUriRequestBase request, String what, Attempts attempts) throws SourceException {
    String failure = null;
    Answer last = null;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Duration wait;
      attempts.requests++;
      try {
        last = execute(request);
        if (last.status == 429 || Long.valueOf(RATE_LIMITED).equals(last.code())) {
          failure = "rate limited";
          wait = rateLimitWait(last, attempt);
          log.warn("Feishu rate limit on {} (log id {}); waiting {} ms", what, last.logId, wait.toMillis());
        } else if (last.status >= 500) {
          failure = "HTTP " + last.status;
          wait = backoff(attempt);
          log.warn("Feishu answered {} on {} (log id {}); retrying", last.status, what, last.logId);
        } else if (last.body == null) {
          throw invalid(last, "the answer is not JSON");
        } else {
          return last;
        }
      } catch (ResponseTooLarge e) {
        throw new SourceException("invalid answer from Feishu to " + what + ", nothing applied: " + e.getMessage(), e);
      } catch (IOException e) {
        last = null;
        failure = describe(e);
        wait = backoff(attempt);
        log.warn("request for {} failed: {}; retrying", what, failure);
      }
      if (attempt == settings.maxAttempts()) {
        break;
      }
      if (attempts.waited.plus(wait).compareTo(settings.maxRetryTime()) > 0) {
        throw failed("gave up on " + what + " after " + attempt + " attempt(s): feishu.max_retry_time "
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
    throw failed("gave up on " + what + " after " + settings.maxAttempts() + " attempts; last failure: " + failure,
        last);
  }

  private Answer execute(HttpUriRequestBase request) throws IOException {
    // The response timeout bounds each read; this bounds a server that trickles bytes forever.
    Duration deadline = settings.connectTimeout().plus(settings.responseTimeout().multipliedBy(2));
    ScheduledFuture<?> cancel = deadlines.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return http.execute(request, response -> {
        String logId = header(response.getFirstHeader("X-Tt-Logid"));
        String reset = header(response.getFirstHeader("x-ogw-ratelimit-reset"));
        byte[] bytes = readBounded(response.getEntity());
        JsonNode body = null;
        try {
          body = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
          // Not JSON: a proxy error page, or garbage. The caller decides.
        }
        return new Answer(response.getCode(), body != null && body.isObject() ? body : null, logId, reset);
      });
    } catch (IOException e) {
      if (request.isCancelled()) {
        throw new InterruptedIOException("no complete answer within " + deadline.toSeconds() + "s");
      }
      throw e;
    } finally {
      cancel.cancel(false);
    }
  }

  private byte[] readBounded(HttpEntity entity) throws IOException {
    if (entity == null) {
      return new byte[0];
    }
    long max = settings.maxResponseBytes();
    if (entity.getContentLength() > max) {
      throw new ResponseTooLarge(max);
    }
    try (InputStream in = entity.getContent(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
        if (total > max) {
          throw new ResponseTooLarge(max);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  private Duration rateLimitWait(Answer a, int attempt) {
    if (a.reset != null) {
      try {
        Duration d = Duration.ofSeconds(Math.max(0, Long.parseLong(a.reset.strip())));
        return d.compareTo(settings.maxRateLimitWait()) > 0 ? settings.maxRateLimitWait() : d;
      } catch (NumberFormatException e) {
        log.debug("unreadable x-ogw-ratelimit-reset header; backing off instead");
      }
    }
    return backoff(attempt);
  }

  /** Exponential backoff with equal jitter: half fixed, half random. */
  private static Duration backoff(int attempt) {
    long ms = BACKOFF_BASE.toMillis() << Math.min(attempt - 1, 16);
    ms = Math.min(ms, BACKOFF_CAP.toMillis());
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }

  private SourceException listingRefused(Answer a) {
    Long code = a.code();
    String msg = a.msg() == null ? "" : a.msg().toLowerCase(Locale.ROOT);
    String what;
    if (code != null && code == PARAM_INVALID) {
      what = "Feishu rejected the paging parameters (feishu.page_size must be 10..50)";
    } else if ((code != null && NO_SCOPE.contains(code)) || msg.contains("scope") || msg.contains("permission")
        || msg.contains("ip_list")) {
      what = "the app lacks the event:ip_list permission: grant it in the Feishu developer console and publish a new"
          + " app version";
    } else {
      what = "Feishu refused the listing";
    }
    return new SourceException(what, a.status, code, a.msg(), a.logId, null);
  }

  private static SourceException invalid(Answer a, String why) {
    return new SourceException("invalid answer from Feishu, nothing applied: " + why, Math.max(a.status, 1), a.code(),
        a.msg(), a.logId, null);
  }

  private static SourceException failed(String message, Answer last) {
    if (last == null) {
      return new SourceException(message, null);
    }
    return new SourceException(message, last.status, last.code(), last.msg(), last.logId, null);
  }

  private static String describe(IOException e) {
    if (e instanceof ResponseTooLarge) {
      return e.getMessage();
    }
    if (e instanceof java.net.SocketTimeoutException || e instanceof InterruptedIOException) {
      return "timeout (" + e.getMessage() + ")";
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect (" + e.getMessage() + ")";
    }
    if (e instanceof java.net.UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  private static String header(Header h) {
    return h == null ? null : h.getValue();
  }

  static String abbreviate(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 64; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.length() > 64 ? sb + "..." : sb.toString();
  }

  /** Retries and waiting spent in one fetch. */
  private static final class Attempts {
    int requests;
    Duration waited = Duration.ZERO;
  }

  /**
   * One HTTP answer.
   *
   * @param body the JSON object, or null when the body was not one
   */
  private record Answer(int status, JsonNode body, String logId, String reset) {

    Long code() {
      return body != null && body.path("code").canConvertToLong() ? body.path("code").asLong() : null;
    }

    String msg() {
      return body != null && body.hasNonNull("msg") ? body.get("msg").asText() : null;
    }
  }

  /** The listing was answered with an invalid-token code. */
  private static final class TokenRejected extends Exception {
    final transient Answer answer;
    final long code;

    TokenRejected(Answer answer) {
      super(null, null, false, false);
      this.answer = answer;
      this.code = answer.code();
    }
  }

  /** The answer is larger than {@code feishu.max_response_bytes}. */
  private static final class ResponseTooLarge extends IOException {
    ResponseTooLarge(long max) {
      super("the answer is larger than " + max + " bytes");
    }
  }
}
