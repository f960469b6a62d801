package io.feishuipsync.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy between the daemons' EC2 endpoint override and moto: it counts the EC2 actions the nodes
 * call, so a test can say how often the cloud target was changed, and can hold one call of an action in flight (a
 * node killed mid-apply) and then drop it. It forwards everything else unchanged; it checks nothing itself.
 */
final class Ec2Proxy implements AutoCloseable {

  /** The EC2 actions that change a security group or a prefix list. */
  static final Set<String> MODIFYING = Set.of("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress",
      "ModifyManagedPrefixList");

  private final HttpServer server;
  private final URI moto;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<Change> changes = new java.util.ArrayList<>();
  private volatile String hold;
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  Ec2Proxy(String motoEndpoint) throws IOException {
    this.moto = URI.create(motoEndpoint);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Calls of {@code action} since the last {@link #reset()}. */
  int count(String action) {
    return calls.getOrDefault(action, new AtomicInteger()).get();
  }

  /** Calls of the modifying actions since the last reset, by action. */
  Map<String, Integer> modifying() {
    return Map.of("AuthorizeSecurityGroupIngress", count("AuthorizeSecurityGroupIngress"),
        "RevokeSecurityGroupIngress", count("RevokeSecurityGroupIngress"),
        "ModifyManagedPrefixList", count("ModifyManagedPrefixList"));
  }

  void reset() {
    calls.clear();
    changes.clear();
  }

  /**
   * One call of a modifying action that moto answered: the access key id it was signed with (tests give each node its
   * own), when it reached the proxy and when moto's answer was back (nanoTime), and moto's status.
   */
  record Change(String action, String keyId, long begun, long ended, int status) {}

  /** The modifying calls since the last reset, in the order they reached the proxy. */
  List<Change> changes() {
    synchronized (changes) {
      return changes.stream().sorted(java.util.Comparator.comparingLong(Change::begun)).toList();
    }
  }

  /** The next call of {@code action} waits, unanswered, until {@link #dropHeld()}; it never reaches moto. */
  void holdNext(String action) {
    hold = action;
  }

  boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, TimeUnit.SECONDS);
  }

  void dropHeld() {
    release.countDown();
  }

  private void handle(HttpExchange ex) throws IOException {
    long begun = System.nanoTime();
    byte[] body = ex.getRequestBody().readAllBytes();
    String action = action(new String(body, StandardCharsets.UTF_8));
    calls.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
    if (action.equals(hold)) {
      hold = null;
      held.countDown();
      try {
        release.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(503, -1);
      ex.close();
      return;
    }
    HttpURLConnection c = (HttpURLConnection) moto.resolve(ex.getRequestURI().toString()).toURL().openConnection();
    c.setRequestMethod(ex.getRequestMethod());
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      if (!Set.of("host", "content-length", "connection", "transfer-encoding").contains(h.getKey().toLowerCase())) {
        h.getValue().forEach(v -> c.addRequestProperty(h.getKey(), v));
      }
    }
    if (body.length > 0) {
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    int status = c.getResponseCode();
    byte[] answer;
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      answer = in == null ? new byte[0] : in.readAllBytes();
    }
    if (MODIFYING.contains(action)) {
      synchronized (changes) {
        changes.add(new Change(action, keyId(ex.getRequestHeaders().getFirst("Authorization")), begun,
            System.nanoTime(), status));
      }
    }
    String type = c.getContentType();
    if (type != null) {
      ex.getResponseHeaders().add("Content-Type", type);
    }
    ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(answer);
    }
  }

  /** The access key id of a SigV4 Authorization header ({@code Credential=KEY/date/region/service/...}). */
  private static String keyId(String authorization) {
    if (authorization == null) {
      return "";
    }
    int at = authorization.indexOf("Credential=");
    return at < 0 ? "" : authorization.substring(at + 11).split("/", 2)[0];
  }

  private static String action(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
