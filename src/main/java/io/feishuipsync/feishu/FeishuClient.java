package io.feishuipsync.feishu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the complete outbound IP list from the Feishu/Lark Open Platform: tenant token (cached, refreshed before
 * it expires), every page, bounded retries with backoff, rate limits honoured. Returns a whole, validated list or
 * throws; a partial answer is never returned. Every answer is read through a size cap and checked field by field;
 * every string quoted from it is sanitized. Credentials never appear in a message or a log line.
 */
public final class FeishuClient implements AddressSource, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  static final String LIST_PATH = "/open-apis/event/v1/outbound_ip";
  private static final Set<Long> TOKEN_INVALID = Set.of(99991663L, 99991664L, 99991671L);
  private static final long RATE_LIMITED = 99991400L;
  private static final long PARAM_INVALID = 1810001L;
  private static final Set<Long> NO_SCOPE = Set.of(99991672L, 99991679L);
  /** SDKs refresh the token this long before it expires. */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(3);
  /** Feishu's tokens live 2 hours; a longer promise is not believed. */
  private static final long TOKEN_LIFE_MAX_SECONDS = 7200;
  private static final Duration BACKOFF_BASE = Duration.ofMillis(500);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
  /** A rate-limit wait shorter than this would only hit the limit again. */
  private static final Duration RATE_LIMIT_MIN_WAIT = Duration.ofSeconds(1);
  /** Request ids Feishu (or a gateway in front of it) may answer with, in order of preference. */
  private static final String[] REQUEST_ID_HEADERS = {"X-Tt-Logid", "X-Request-Id", "Request-Id"};
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");
  /** Tokens travel in a header: visible ASCII only, bounded. */
  private static final Pattern TOKEN_TEXT = Pattern.compile("[\\x21-\\x7e]{1,2048}");
  private static final int MAX_PAGE_TOKEN = 2048;
  private static final int MAX_LOG_ID = 128;
  private static final int MAX_HEADER_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 100;
  private static final String STOPPED = "fetch abandoned: the daemon is stopping; nothing applied";

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(64)
          .maxStringLength((int) FeishuSettings.MAX_RESPONSE_BYTES)
          .build())
      .build())
      // Garbage after the JSON object is not an answer; it also means the body was read to its end.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final FeishuSettings settings;
  private final Sleeper sleeper;
  private final Clock clock;
  private final CloseableHttpClient http;
  private final ScheduledExecutorService deadlines;
  private final Object fetchLock = new Object();
  /** The thread running {@link #fetch()}, guarded by {@code fetchLock}. */
  private Thread fetching;
  private volatile HttpUriRequestBase inFlight;
  private volatile boolean stopped;
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
            // Headers are buffered whole: bound them as the body is bounded.
            .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom().setMaxLineLength(MAX_HEADER_LINE).setMaxHeaderCount(MAX_HEADERS)
                    .build())
                .build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response).build())
        // Retries are ours (bounded, logged); redirects could carry the token to another host.
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableContentCompression()
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
    synchronized (fetchLock) {
      if (stopped) {
        throw SourceException.abandoned(STOPPED);
      }
      fetching = Thread.currentThread();
    }
    try {
      return fetchWithRestarts();
    } catch (SourceException e) {
      throw stopped ? SourceException.abandoned(STOPPED) : e;
    } catch (RuntimeException e) {
      if (stopped) {
        throw SourceException.abandoned(STOPPED);
      }
      // Whatever an answer held, the operator gets a line that says so, not a stack trace and exit 1.
      log.debug("unexpected failure while reading Feishu's answers", e);
      throw new SourceException("unusable answer from Feishu, nothing applied: "
          + Sanitize.text(String.valueOf(e.getMessage())), null);
    } finally {
      synchronized (fetchLock) {
        fetching = null;
        inFlight = null;
        if (stopped) {
          // The interrupt was meant for this fetch only; what follows (recording the run) must not see it.
          Thread.interrupted();
        }
      }
    }
  }

  /**
   * Abandons a fetch in progress (its waits and its request in flight) and makes every later fetch fail at once.
   * Safe from any thread. Nothing is applied during a fetch, so nothing is left half done.
   */
  public void stop() {
    synchronized (fetchLock) {
      stopped = true;
      if (fetching != null) {
        HttpUriRequestBase request = inFlight;
        if (request != null) {
          request.cancel();
        }
        fetching.interrupt();
      }
    }
  }

  /** Fetches a new token now: proves the app id and secret are accepted. */
  public void checkCredentials() throws SourceException {
    token = null;
    try {
      tenantToken(new Attempts());
    } catch (RuntimeException e) {
      log.debug("unexpected failure while reading Feishu's token answer", e);
      throw new SourceException("unusable answer from Feishu, nothing applied: "
          + Sanitize.text(String.valueOf(e.getMessage())), null);
    }
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

  /** Lists all pages; a rejected token and a rejected page token each restart the listing from page 1, once. */
  private SourceList fetchWithRestarts() throws SourceException {
    Attempts attempts = new Attempts();
    boolean newToken = false;
    boolean restartedPaging = false;
    while (true) {
      try {
        return list(attempts);
      } catch (Restart r) {
        Answer a = r.answer;
        if (r.tokenRejected) {
          if (newToken) {
            throw new SourceException("Feishu rejected a freshly issued token; the listing was abandoned",
                a.status, a.code(), a.msg(), a.logId, null);
          }
          newToken = true;
          // Page tokens may belong to the old session: drop the token and start again from page 1, once.
          log.info("Feishu rejected the cached token (code {}); fetching a new one and restarting the listing",
              a.code());
          token = null;
        } else {
          if (restartedPaging) {
            throw new SourceException("Feishu rejected the page_token it had returned for page " + r.page
                + ", again after the listing was restarted from page 1 (its page tokens expire); nothing applied",
                a.status, a.code(), a.msg(), a.logId, null);
          }
          restartedPaging = true;
          log.info("Feishu rejected the page_token for page {} (code {}, log id {}): it may have expired;"
              + " restarting the listing from page 1", r.page, a.code(), a.logId);
        }
      }
    }
  }

  private SourceList list(Attempts attempts) throws SourceException, Restart {
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
      Long code = a.code();
      if (code == null) {
        throw invalid(a, "the answer has no integer code");
      }
      if (TOKEN_INVALID.contains(code)) {
        throw new Restart(a, page, true);
      }
      if (code == PARAM_INVALID && page > 1) {
        throw new Restart(a, page, false);
      }
      if (code != 0) {
        throw listingRefused(a);
      }
      JsonNode data = a.body.path("data");
      JsonNode list = data.path("ip_list");
      if (!data.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
        throw invalid(a, "the answer has no data.ip_list array");
      }
      for (JsonNode e : list) {
        if (!e.isTextual()) {
          throw invalid(a, "entry " + Sanitize.text(e.toString(), 64) + " is not a string");
        }
        try {
          entries.add(IpRange.parse(e.asText()));
        } catch (IllegalArgumentException ex) {
          throw invalid(a, "entry \"" + Sanitize.text(e.asText(), 64) + "\" is not an IP address or prefix: "
              + Sanitize.text(ex.getMessage()));
        }
      }
      JsonNode more = data.path("has_more");
      if (!(more.isBoolean() || more.isMissingNode() || more.isNull())) {
        throw invalid(a, "has_more is " + Sanitize.text(more.toString(), 32) + ", not true or false (page "
            + page + ")");
      }
      if (!more.asBoolean(false)) {
        log.debug("listing complete: {} entries in {} page(s)", entries.size(), page);
        return new SourceList(entries, settings.baseUrl().toString(), clock.instant(), attempts.requests);
      }
      JsonNode next = data.path("page_token");
      if (!next.isTextual() || next.asText().isEmpty()) {
        throw invalid(a, "has_more is true but there is no page_token string (page " + page + ")");
      }
      if (next.asText().length() > MAX_PAGE_TOKEN) {
        throw invalid(a, "the page_token is longer than " + MAX_PAGE_TOKEN + " characters (page " + page + ")");
      }
      if (!seenPageTokens.add(next.asText())) {
        throw invalid(a, "the page_token repeats; the listing would loop (page " + page + ")");
      }
      pageToken = next.asText();
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
    if (a.code() == null) {
      throw invalid(a, "the token answer has no integer code");
    }
    if (a.code() != 0) {
      throw new SourceException("Feishu rejected the app credentials: check feishu.app_id (" + settings.appId()
          + ") and the app secret", a.status, a.code(), a.msg(), a.logId, null);
    }
    JsonNode t = a.body.path("tenant_access_token");
    if (!t.isTextual() || !TOKEN_TEXT.matcher(t.asText()).matches()) {
      // Never quote it: it may be a real token.
      throw invalid(a, "the token answer has no usable tenant_access_token");
    }
    JsonNode expire = a.body.path("expire");
    if (!expire.isIntegralNumber() || !expire.canConvertToLong() || expire.asLong() <= 0) {
      throw invalid(a, "the token answer's expire " + Sanitize.text(expire.toString(), 32)
          + " is not a positive number of seconds");
    }
    long seconds = expire.asLong();
    if (seconds > TOKEN_LIFE_MAX_SECONDS) {
      log.warn("Feishu says the token lives {} s; using Feishu's documented {} s", seconds, TOKEN_LIFE_MAX_SECONDS);
      seconds = TOKEN_LIFE_MAX_SECONDS;
    }
    token = t.asText();
    Duration life = Duration.ofSeconds(seconds);
    Duration margin = life.compareTo(TOKEN_MARGIN.multipliedBy(2)) > 0 ? TOKEN_MARGIN : life.dividedBy(2);
    tokenRefreshAt = clock.instant().plus(life).minus(margin);
    log.debug("new tenant token, valid for {}s", seconds);
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
          wait = retryWait(last, attempt, true);
          log.warn("Feishu rate limit on {} (log id {}); waiting {} ms", what, last.logId, wait.toMillis());
        } else if (last.status >= 500) {
          failure = "HTTP " + last.status;
          wait = retryWait(last, attempt, false);
          log.warn("Feishu answered {} on {} (log id {}); retrying", last.status, what, last.logId);
        } else if (last.body == null) {
          throw invalid(last, "the answer is not JSON (" + last.unreadable
              + (last.contentType == null ? "" : ", content type " + last.contentType) + ")");
        } else {
          return last;
        }
      } catch (ResponseTooLarge | MessageConstraintException e) {
        throw new SourceException("invalid answer from Feishu to " + what + ", nothing applied: "
            + describe(e), null);
      } catch (IOException e) {
        if (stopped) {
          throw SourceException.abandoned(STOPPED);
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
    inFlight = request;
    try {
      if (stopped) {
        throw new InterruptedIOException("stopping");
      }
      return http.execute(request, response -> read(request, response));
    } catch (NotJson e) {
      return e.answer;
    } catch (ResponseTooLarge | MessageConstraintException e) {
      throw e;
    } catch (IOException e) {
      if (request.isCancelled() && !stopped) {
        throw new InterruptedIOException("no complete answer within " + deadline.toSeconds() + "s");
      }
      throw e;
    } finally {
      inFlight = null;
      cancel.cancel(false);
    }
  }

  /** Reads one answer through the size cap, parsing as it reads; never holds more than the cap. */
  private Answer read(HttpUriRequestBase request, ClassicHttpResponse response) throws IOException {
    Answer head = new Answer(response.getCode(), null, requestId(response, null),
        header(response, "x-ogw-ratelimit-reset"), header(response, "Retry-After"),
        Sanitize.text(header(response, "Content-Type"), 64), "empty body");
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      return head;
    }
    long max = settings.maxResponseBytes();
    try {
      if (entity.getContentLength() > max) {
        throw new ResponseTooLarge(max);
      }
      JsonNode body = JSON.readTree(new CappedStream(entity.getContent(), max));
      if (body == null || body.isMissingNode()) {
        return head;
      }
      // Any JSON value is kept: one that is not an object simply lacks the fields, which the caller reports.
      return new Answer(head.status, body, requestId(response, body), head.reset, head.retryAfter,
          head.contentType, null);
    } catch (StreamConstraintsException e) {
      request.cancel();
      throw new NotJson(head.unreadable("nested or sized beyond the parser's limits"));
    } catch (JsonProcessingException e) {
      // Not JSON: a proxy's error page, or garbage. The caller decides; the rest is not worth reading.
      request.cancel();
      throw new NotJson(head.unreadable(e instanceof JsonEOFException ? "truncated" : "malformed"));
    } catch (ResponseTooLarge e) {
      // Drop the connection rather than drain what is left of a huge body.
      request.cancel();
      throw e;
    }
  }

  /** The wait before the next attempt: what Feishu asked for when it said so sensibly, else backoff. */
  private Duration retryWait(Answer a, int attempt, boolean rateLimited) {
    Duration asked = seconds("x-ogw-ratelimit-reset", a.reset);
    if (asked == null) {
      asked = retryAfter(a.retryAfter);
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

  private SourceException listingRefused(Answer a) {
    Long code = a.code();
    String msg = a.msg() == null ? "" : a.msg().toLowerCase(Locale.ROOT);
    String what;
    if (code != null && code == PARAM_INVALID) {
      what = "Feishu rejected the paging parameters of the first page (page_size=" + settings.pageSize()
          + "; feishu.page_size must be 10..50)";
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

  /** What went wrong on the wire, in words; never an exception's class name. */
  private static String describe(IOException e) {
    String detail = e.getMessage() == null ? "" : " (" + Sanitize.text(e.getMessage(), 120) + ")";
    if (e instanceof ResponseTooLarge) {
      return e.getMessage();
    }
    if (e instanceof MessageConstraintException) {
      return "its headers exceed " + MAX_HEADERS + " lines or " + MAX_HEADER_LINE + " bytes per line";
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

  private static String header(ClassicHttpResponse response, String name) {
    Header h = response.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  /** The id Feishu's support asks for: a request-id header, else {@code error.log_id} in the body. */
  private static String requestId(ClassicHttpResponse response, JsonNode body) {
    for (String name : REQUEST_ID_HEADERS) {
      String v = header(response, name);
      if (v != null && !v.isBlank()) {
        return Sanitize.text(v.strip(), MAX_LOG_ID);
      }
    }
    JsonNode id = body == null ? null : body.path("error").path("log_id");
    if (id != null && (id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank()) {
      return Sanitize.text(id.asText().strip(), MAX_LOG_ID);
    }
    return null;
  }

  /** Retries and waiting spent in one fetch. */
  private static final class Attempts {
    int requests;
    Duration waited = Duration.ZERO;
  }

  /**
   * One HTTP answer; its strings are sanitized, its numbers not yet checked.
   *
   * @param body the JSON object, or null when the body was not one
   * @param logId the request id, sanitized, or null
   * @param reset the raw {@code x-ogw-ratelimit-reset} header, or null
   * @param retryAfter the raw {@code Retry-After} header, or null
   * @param contentType the content type, sanitized, or null
   * @param unreadable why the body is not JSON, or null when it is
   */
  private record Answer(int status, JsonNode body, String logId, String reset, String retryAfter,
      String contentType, String unreadable) {

    Answer unreadable(String why) {
      return new Answer(status, null, logId, reset, retryAfter, contentType, why);
    }

    /** Feishu's {@code code} when it is an integer, else null. */
    Long code() {
      JsonNode c = body == null ? null : body.get("code");
      return c != null && c.isIntegralNumber() && c.canConvertToLong() ? c.asLong() : null;
    }

    String msg() {
      JsonNode m = body == null ? null : body.get("msg");
      if (m == null || m.isNull()) {
        return null;
      }
      return Sanitize.text(m.isTextual() ? m.asText() : m.toString());
    }
  }

  /** The listing must start again from page 1: the token or the page token was rejected. */
  private static final class Restart extends Exception {
    final transient Answer answer;
    final int page;
    final boolean tokenRejected;

    Restart(Answer answer, int page, boolean tokenRejected) {
      super(null, null, false, false);
      this.answer = answer;
      this.page = page;
      this.tokenRejected = tokenRejected;
    }
  }

  /** The answer's body is not JSON; carries the rest of the answer. */
  private static final class NotJson extends IOException {
    final transient Answer answer;

    NotJson(Answer answer) {
      super("not JSON", null);
      this.answer = answer;
    }
  }

  /** The answer is larger than {@code feishu.max_response_bytes}. */
  private static final class ResponseTooLarge extends IOException {
    ResponseTooLarge(long max) {
      super("the answer is larger than " + max + " bytes");
    }
  }

  /** Counts what is read and fails past the cap; closing is left to the HTTP client, which drops or reuses. */
  private static final class CappedStream extends FilterInputStream {
    private final long max;
    private long total;

    CappedStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count(skipped);
      return skipped;
    }

    @Override
    public void close() {
      // Jackson closes its source; draining a hostile body here would read it all.
    }

    private void count(long n) throws ResponseTooLarge {
      total += n;
      if (total > max) {
        throw new ResponseTooLarge(max);
      }
    }
  }
}
