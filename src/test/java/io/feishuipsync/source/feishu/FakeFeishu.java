package io.feishuipsync.source.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on loopback that plays the Feishu Open Platform, with state: the app's credentials, the tokens
 * it issued (and which are still valid), the published list served in pages, and scripted faults for the next
 * requests. Counts every request it receives.
 */
public final class FakeFeishu implements AutoCloseable, AfterEachCallback {

  public static final String APP_ID = "cli_test_app";
  public static final String APP_SECRET = "s3cr3t-APP-secret-value";
  /** Config line that lets the documentation ranges, which tests use as Feishu's senders, through validation. */
  public static final String LAB_VALIDATION =
      "validation: {allow_special: [192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32]}";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a scripted body travels: whole with its length, chunked with no length, or cut off half way. */
  public enum Delivery { WHOLE, CHUNKED, TRUNCATED }

  /** A scripted answer for one request; {@code delayMillis} first, then the status, headers and body. */
  public record Fault(int status, String body, Map<String, String> headers, long delayMillis, Delivery delivery) {

    public Fault(int status, String body, Map<String, String> headers, long delayMillis) {
      this(status, body, headers, delayMillis, Delivery.WHOLE);
    }

    /** This answer sent another way. */
    public Fault delivered(Delivery how) {
      return new Fault(status, body, headers, delayMillis, how);
    }

    /** This answer with one more header. */
    public Fault withHeader(String name, String value) {
      Map<String, String> h = new HashMap<>(headers);
      h.put(name, value);
      return new Fault(status, body, h, delayMillis, delivery);
    }

    public static Fault status(int status, String body) {
      return new Fault(status, body, Map.of(), 0);
    }

    public static Fault code(int status, long code, String msg) {
      return new Fault(status, "{\"code\":" + code + ",\"msg\":\"" + msg + "\"}", Map.of(), 0);
    }

    public static Fault rateLimited(int resetSeconds) {
      return new Fault(429, "{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}",
          Map.of("x-ogw-ratelimit-reset", Integer.toString(resetSeconds), "x-ogw-ratelimit-limit", "50"), 0);
    }

    public static Fault slow(long delayMillis) {
      return new Fault(200, "{\"code\":0,\"msg\":\"slow\",\"data\":{\"ip_list\":[],\"has_more\":false}}", Map.of(),
          delayMillis);
    }
  }

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger listRequests = new AtomicInteger();
  private final AtomicInteger logIds = new AtomicInteger();
  private final List<String> validTokens = new ArrayList<>();
  private final Deque<Fault> tokenFaults = new ArrayDeque<>();
  private final Deque<Fault> listFaults = new ArrayDeque<>();
  private final List<String> authorizations = new ArrayList<>();
  private final List<String> requestBodies = new ArrayList<>();
  private volatile List<String> entries = List.of();
  private volatile String appId = APP_ID;
  private volatile String secret = APP_SECRET;
  private volatile int expireSeconds = 7200;
  private volatile String loopingPageToken;
  private volatile boolean missingScope;
  private volatile int invalidateTokenAfterPages = -1;
  private volatile Fault everything;
  private volatile long listDelayMillis;
  private volatile java.util.function.IntConsumer afterPage = n -> { };
  private final java.util.concurrent.atomic.AtomicInteger pagesServed = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicInteger pageTokenRejections = new AtomicInteger();

  /**
   * A server for one test, closed after it when registered as {@code @RegisterExtension final FakeFeishu feishu =
   * FakeFeishu.perTest();}.
   */
  public static FakeFeishu perTest() {
    try {
      return new FakeFeishu();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FakeFeishu() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-feishu");
      t.setDaemon(true);
      return t;
    }));
    server.createContext(FeishuClient.TOKEN_PATH, this::token);
    server.createContext(FeishuClient.LIST_PATH, this::list);
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The published list, served as is (strings may be invalid on purpose). */
  public FakeFeishu entries(List<String> list) {
    this.entries = List.copyOf(list);
    return this;
  }

  /** 198.51.100.1 .. 198.51.100.n and 203.0.113.x beyond 254. */
  public static List<String> docAddresses(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add((i < 254 ? "198.51.100." : "203.0.113.") + (i % 254 + 1));
    }
    return out;
  }

  /** The app's id; any other is rejected with code 10003. */
  public FakeFeishu appId(String id) {
    this.appId = id;
    return this;
  }

  /** The secret the app really has; any other is rejected with code 10014. */
  public FakeFeishu secret(String s) {
    this.secret = s;
    return this;
  }

  public FakeFeishu tokenLifetime(int seconds) {
    this.expireSeconds = seconds;
    return this;
  }

  /** Every issued token becomes invalid: the next listing request answers 99991663 with HTTP 400. */
  public synchronized void invalidateTokens() {
    validTokens.clear();
  }

  /** Invalidates every issued token after {@code pages} more listing pages have been served. */
  public void invalidateTokensAfterPages(int pages) {
    this.invalidateTokenAfterPages = pages;
  }

  /**
   * Calls {@code hook} with the count of listing pages served so far, after each page is built and before it is
   * sent: a test changes the list there, between two pages of one listing.
   */
  public FakeFeishu afterPage(java.util.function.IntConsumer hook) {
    this.afterPage = hook;
    return this;
  }

  /** Every page claims more with this same page token. */
  public FakeFeishu loopingPageToken(String token) {
    this.loopingPageToken = token;
    return this;
  }

  /** Every request, token and listing alike, gets {@code f} until {@link #heal()}. */
  public FakeFeishu answerEverything(Fault f) {
    this.everything = f;
    return this;
  }

  /** The next {@code n} listing requests that carry a page_token are answered 1810001, as for an expired one. */
  public FakeFeishu expirePageTokens(int n) {
    pageTokenRejections.set(n);
    return this;
  }

  /** The app lacks the event:ip_list scope. */
  public FakeFeishu missingScope() {
    this.missingScope = true;
    return this;
  }

  /** Back to a well-behaved Feishu: the real secret, the scope granted, honest paging, no pending faults. */
  /**
   * Every listing answer is built from the list as it is when the request arrives, then held back {@code millis}:
   * a slow Feishu that hands out what it had when asked (0: at once).
   */
  public FakeFeishu listDelay(long millis) {
    listDelayMillis = millis;
    return this;
  }

  public synchronized FakeFeishu heal() {
    afterPage = n -> { };
    secret = APP_SECRET;
    listDelayMillis = 0;
    missingScope = false;
    loopingPageToken = null;
    everything = null;
    pageTokenRejections.set(0);
    tokenFaults.clear();
    listFaults.clear();
    return this;
  }

  public synchronized FakeFeishu failNextToken(Fault... faults) {
    tokenFaults.addAll(List.of(faults));
    return this;
  }

  public synchronized FakeFeishu failNextList(Fault... faults) {
    listFaults.addAll(List.of(faults));
    return this;
  }

  public int requestCount() {
    return requests.get();
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  public int listRequests() {
    return listRequests.get();
  }

  /** Authorization headers of the listing requests, in order. */
  public synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Bodies of every request, in order (token requests carry the secret). */
  public synchronized List<String> requestBodies() {
    return List.copyOf(requestBodies);
  }

  /** The log id the next answer will carry. */
  public String nextLogId() {
    return logId(logIds.get() + 1);
  }

  private static String logId(int n) {
    return String.format("20261124%012d", n);
  }

  private void token(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    tokenRequests.incrementAndGet();
    byte[] raw = ex.getRequestBody().readAllBytes();
    synchronized (this) {
      requestBodies.add(new String(raw, StandardCharsets.UTF_8));
    }
    Fault f = everything != null ? everything : next(tokenFaults);
    if (f != null) {
      answer(ex, f);
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (IOException e) {
      answer(ex, Fault.code(400, 9499, "bad json"));
      return;
    }
    if (!appId.equals(body.path("app_id").asText())) {
      answer(ex, Fault.code(400, 10003, "invalid param"));
      return;
    }
    if (!secret.equals(body.path("app_secret").asText())) {
      answer(ex, Fault.code(400, 10014, "app secret invalid"));
      return;
    }
    String t = "t-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-token";
    synchronized (this) {
      validTokens.add(t);
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("code", 0).put("msg", "ok").put("tenant_access_token", t).put("expire", expireSeconds);
    answer(ex, new Fault(200, out.toString(), Map.of(), 0));
  }

  private void list(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    listRequests.incrementAndGet();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    synchronized (this) {
      authorizations.add(auth);
      requestBodies.add("");
    }
    Fault f = everything != null ? everything : next(listFaults);
    if (f != null) {
      answer(ex, f);
      return;
    }
    boolean valid;
    synchronized (this) {
      valid = auth != null && auth.startsWith("Bearer ") && validTokens.contains(auth.substring(7));
    }
    if (!valid) {
      answer(ex, Fault.code(400, 99991663, "Invalid access token for authorization. Please make a request with token"
          + " attached."));
      return;
    }
    if (missingScope) {
      answer(ex, Fault.code(400, 99991672, "Access denied. One of the following scopes is required: [event:ip_list]"));
      return;
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    int pageSize;
    try {
      pageSize = Integer.parseInt(query.getOrDefault("page_size", "10"));
    } catch (NumberFormatException e) {
      pageSize = -1;
    }
    if (pageSize < 10 || pageSize > 50) {
      answer(ex, Fault.code(400, 1810001, "param is invalid"));
      return;
    }
    int start;
    String pageToken = query.get("page_token");
    if (pageToken != null && pageTokenRejections.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(ex, Fault.code(400, 1810001, "param is invalid"));
      return;
    }
    try {
      start = pageToken == null ? 0 : Integer.parseInt(pageToken.replace("pt-", ""));
    } catch (NumberFormatException e) {
      start = loopingPageToken != null ? 0 : -1;
    }
    if (start < 0 || start > entries.size()) {
      answer(ex, Fault.code(400, 1810001, "param is invalid"));
      return;
    }
    List<String> all = entries;
    int end = Math.min(all.size(), start + pageSize);
    ObjectNode out = JSON.createObjectNode();
    out.put("code", 0).put("msg", "success");
    ObjectNode data = out.putObject("data");
    ArrayNode list = data.putArray("ip_list");
    all.subList(start, end).forEach(list::add);
    boolean more = loopingPageToken != null || end < all.size();
    data.put("has_more", more);
    if (more) {
      data.put("page_token", loopingPageToken != null ? loopingPageToken : "pt-" + end);
    }
    if (invalidateTokenAfterPages > 0 && --invalidateTokenAfterPages == 0) {
      invalidateTokens();
    }
    afterPage.accept(pagesServed.incrementAndGet());
    answer(ex, new Fault(200, out.toString(), Map.of(), listDelayMillis));
  }

  private synchronized Fault next(Deque<Fault> faults) {
    return faults.pollFirst();
  }

  private void answer(HttpExchange ex, Fault f) throws IOException {
    try {
      if (f.delayMillis() > 0) {
        Thread.sleep(f.delayMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = f.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.getResponseHeaders().set("X-Tt-Logid", logId(logIds.incrementAndGet()));
    f.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    try {
      switch (f.delivery()) {
        case CHUNKED -> {
          ex.sendResponseHeaders(f.status(), 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int off = 0; off < body.length; off += 64 * 1024) {
              out.write(body, off, Math.min(64 * 1024, body.length - off));
            }
          }
        }
        case TRUNCATED -> {
          // Promise the whole body, send half, then drop the connection.
          ex.sendResponseHeaders(f.status(), body.length);
          OutputStream out = ex.getResponseBody();
          out.write(body, 0, body.length / 2);
          out.flush();
          throw new IOException("cut off");
        }
        default -> {
          ex.sendResponseHeaders(f.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        }
      }
    } catch (IOException e) {
      // The client gave up (timeout); nothing to answer.
    } finally {
      ex.close();
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
