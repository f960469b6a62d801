package io.feishuipsync.source.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.Source;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the complete outbound IP list from the Feishu/Lark Open Platform: tenant token (cached, refreshed before
 * it expires), every page, bounded retries with backoff, rate limits honoured. Returns a whole, validated list or
 * throws; a partial answer is never returned. Every answer is read through a size cap and checked field by field;
 * every string quoted from it is sanitized. Credentials never appear in a message or a log line.
 */
public final class FeishuClient implements Source {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  static final String LIST_PATH = "/open-apis/event/v1/outbound_ip";
  private static final Set<Long> TOKEN_INVALID = Set.of(99991663L, 99991664L, 99991671L);
  private static final long PARAM_INVALID = 1810001L;
  private static final Set<Long> NO_SCOPE = Set.of(99991672L, 99991679L);
  private static final int MAX_PAGE_TOKEN = 2048;
  /** Listings of a list of several pages before it is given up as changing too fast to read whole. */
  private static final int MAX_LISTINGS = 3;

  private final FeishuSettings settings;
  private final Clock clock;
  private final Exchange exchange;
  private final Retries retries;
  private final TokenCache tokens;

  public FeishuClient(FeishuSettings settings, Sleeper sleeper, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.exchange = new Exchange(settings);
    this.retries = new Retries(settings, sleeper, clock, exchange);
    this.tokens = new TokenCache(settings, clock, retries);
  }

  @Override
  public SourceList fetch() throws SourceException {
    exchange.begin();
    try {
      return agreedListing();
    } catch (SourceException e) {
      throw exchange.stopped() ? Exchange.abandoned() : e;
    } catch (RuntimeException e) {
      if (exchange.stopped()) {
        throw Exchange.abandoned();
      }
      // Whatever an answer held, the operator gets a line that says so, not a stack trace and exit 1.
      log.debug("unexpected failure while reading Feishu's answers", e);
      throw new SourceException("unusable answer from Feishu, nothing applied: "
          + Sanitize.text(String.valueOf(e.getMessage())), null);
    } finally {
      exchange.end();
    }
  }

  /**
   * Abandons a fetch in progress (its waits and its request in flight) and makes every later fetch fail at once.
   * Safe from any thread. Nothing is applied during a fetch, so nothing is left half done.
   */
  public void stop() {
    exchange.stop();
  }

  /** Fetches a new token now: proves the app id and secret are accepted. */
  public boolean checkCredentials() throws SourceException {
    tokens.forget();
    try {
      tokens.get(new Retries.Attempts());
      return true;
    } catch (RuntimeException e) {
      log.debug("unexpected failure while reading Feishu's token answer", e);
      throw new SourceException("unusable answer from Feishu, nothing applied: "
          + Sanitize.text(String.valueOf(e.getMessage())), null);
    }
  }

  @Override
  public void close() {
    exchange.close();
  }

  /**
   * Lists until two listings in a row agree, at most {@link #MAX_LISTINGS} times. A list of several pages can
   * change between two of them, and a listing read across the change (old pages and new) is a list Feishu never
   * published: applied, it would keep some of the old addresses open and leave some of the new ones out. A single
   * page is one answer, whole by itself, and is not read twice. The list is stamped with when the first of the two
   * agreeing listings began.
   */
  private SourceList agreedListing() throws SourceException {
    Retries.Attempts attempts = new Retries.Attempts();
    Listing last = fetchWithRestarts(attempts);
    for (int n = 2; last.pages() > 1; n++) {
      if (n > MAX_LISTINGS) {
        throw new SourceException("Feishu's list changed between its pages in each of " + MAX_LISTINGS
            + " listings in a row; nothing applied (the next run reads it again)", null);
      }
      Listing again = fetchWithRestarts(attempts);
      if (again.list().entries().equals(last.list().entries())) {
        break;
      }
      log.info("Feishu's list changed while its {} pages were read (listing {} differs from the one before);"
          + " reading it again", last.pages(), n);
      last = again;
    }
    SourceList l = last.list();
    return new SourceList(l.entries(), l.source(), l.fetchedAt(), attempts.requests);
  }

  /** One listing of every page: the list, and how many pages it took. */
  private record Listing(SourceList list, int pages) {}

  /** Lists all pages; a rejected token and a rejected page token each restart the listing from page 1, once. */
  private Listing fetchWithRestarts(Retries.Attempts attempts) throws SourceException {
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
                a.status(), a.code(), a.msg(), a.logId(), null);
          }
          newToken = true;
          // Page tokens may belong to the old session: drop the token and start again from page 1, once.
          log.info("Feishu rejected the cached token (code {}); fetching a new one and restarting the listing",
              a.code());
          tokens.forget();
        } else {
          if (restartedPaging) {
            throw new SourceException("Feishu rejected the page_token it had returned for page " + r.page
                + ", again after the listing was restarted from page 1 (its page tokens expire); nothing applied",
                a.status(), a.code(), a.msg(), a.logId(), null);
          }
          restartedPaging = true;
          log.info("Feishu rejected the page_token for page {} (code {}, log id {}): it may have expired;"
              + " restarting the listing from page 1", r.page, a.code(), a.logId());
        }
      }
    }
  }

  private Listing list(Retries.Attempts attempts) throws SourceException, Restart {
    // The list is stamped with when its listing began: a node that stalls mid-fetch must not pass off what it read
    // then as newer than a list another node fetched meanwhile (cluster mode never goes back to an older list).
    Instant began = clock.instant();
    TreeSet<IpRange> entries = new TreeSet<>();
    Set<String> seenPageTokens = new HashSet<>();
    String pageToken = null;
    for (int page = 1; ; page++) {
      if (page > settings.maxPages()) {
        throw new SourceException("Feishu's listing did not end within feishu.max_pages " + settings.maxPages()
            + " pages; nothing applied", null);
      }
      String bearer = tokens.get(attempts);
      String url = settings.baseUrl() + LIST_PATH + "?page_size=" + settings.pageSize()
          + (pageToken == null ? "" : "&page_token=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
      HttpGet get = new HttpGet(url);
      get.setHeader("Authorization", "Bearer " + bearer);
      Answer a = retries.send(get, "page " + page, attempts);
      Long code = a.code();
      if (code == null) {
        throw a.invalid("the answer has no integer code");
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
      JsonNode data = a.body().path("data");
      JsonNode list = data.path("ip_list");
      if (!data.isObject() || !(list.isArray() || list.isMissingNode() || list.isNull())) {
        throw a.invalid("the answer has no data.ip_list array");
      }
      for (JsonNode e : list) {
        if (!e.isTextual()) {
          throw a.invalid("entry " + Sanitize.text(e.toString(), 64) + " is not a string");
        }
        try {
          entries.add(IpRange.parse(e.asText()));
        } catch (IllegalArgumentException ex) {
          throw a.invalid("entry \"" + Sanitize.text(e.asText(), 64) + "\" is not an IP address or prefix: "
              + Sanitize.text(ex.getMessage()));
        }
      }
      JsonNode more = data.path("has_more");
      if (!(more.isBoolean() || more.isMissingNode() || more.isNull())) {
        throw a.invalid("has_more is " + Sanitize.text(more.toString(), 32) + ", not true or false (page "
            + page + ")");
      }
      if (!more.asBoolean(false)) {
        log.debug("listing complete: {} entries in {} page(s)", entries.size(), page);
        return new Listing(new SourceList(entries, settings.baseUrl().toString(), began, attempts.requests), page);
      }
      JsonNode next = data.path("page_token");
      if (!next.isTextual() || next.asText().isEmpty()) {
        throw a.invalid("has_more is true but there is no page_token string (page " + page + ")");
      }
      if (next.asText().length() > MAX_PAGE_TOKEN) {
        throw a.invalid("the page_token is longer than " + MAX_PAGE_TOKEN + " characters (page " + page + ")");
      }
      if (!seenPageTokens.add(next.asText())) {
        throw a.invalid("the page_token repeats; the listing would loop (page " + page + ")");
      }
      pageToken = next.asText();
    }
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
    return new SourceException(what, a.status(), code, a.msg(), a.logId(), null);
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
}
