package io.feishuipsync.writer.feed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The HTTP side of a feed: {@code GET}/{@code HEAD} on one path, answered from whatever {@link FeedBody} the
 * supplier holds at that moment (read once per request), with {@code ETag} and {@code Last-Modified} validators;
 * over TLS and behind basic authentication when configured.
 */
final class FeedServer implements AutoCloseable {

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;
  private final Supplier<FeedBody> current;
  private final byte[] authorization;

  private FeedServer(HttpServer server, ExecutorService executor, String path, Supplier<FeedBody> current,
      byte[] authorization) {
    this.server = server;
    this.executor = executor;
    this.path = path;
    this.current = current;
    this.authorization = authorization;
  }

  /** Who may read the feed: one user and password, sent with HTTP basic authentication. */
  record Credentials(String username, Secret password) {}

  /**
   * Binds {@code address} and starts serving, over TLS when {@code tls} is not null and only to a client that sends
   * {@code credentials} when they are not null; throws when the address cannot be bound.
   */
  static FeedServer start(InetSocketAddress address, String path, Supplier<FeedBody> current, SSLContext tls,
      Credentials credentials) throws IOException {
    HttpServer server;
    if (tls == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    // A few threads, so one slow firewall cannot hold up the others; daemon threads never keep the process alive.
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "feed");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    byte[] authorization = credentials == null ? null : ("Basic " + Base64.getEncoder().encodeToString(
        (credentials.username() + ":" + credentials.password().reveal()).getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8);
    FeedServer feed = new FeedServer(server, executor, path, current, authorization);
    server.createContext("/", ex -> {
      try (ex) {
        feed.handle(ex);
      }
    });
    server.start();
    return feed;
  }

  /** The bound address (the port, when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    ex.getRequestBody().close();
    if (!authorized(ex)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"feishu-ipsync\", charset=\"UTF-8\"");
      send(ex, 401, "authentication required\n");
      return;
    }
    if (!path.equals(ex.getRequestURI().getRawPath())) {
      send(ex, 404, "not found\n");
      return;
    }
    String method = ex.getRequestMethod();
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      send(ex, 405, "method not allowed\n");
      return;
    }
    FeedBody feed = current.get();
    if (feed == null) {
      // Nothing applied yet: an error keeps the firewall on the list it already has, an empty list would not.
      ex.getResponseHeaders().set("Retry-After", "60");
      send(ex, 503, "no list applied yet\n");
      return;
    }
    ex.getResponseHeaders().set("ETag", feed.etag());
    ex.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(feed.lastModified().atZone(ZoneOffset.UTC)));
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    if (notModified(ex, feed)) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(feed.body().length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, feed.body().length == 0 ? -1 : feed.body().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(feed.body());
    }
  }

  /** True without configured credentials, else when the request carries them (compared in constant time). */
  private boolean authorized(HttpExchange ex) {
    if (authorization == null) {
      return true;
    }
    String given = ex.getRequestHeaders().getFirst("Authorization");
    return given != null && MessageDigest.isEqual(authorization, given.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 9110: {@code If-None-Match} decides when present; {@code If-Modified-Since} only without it. */
  private static boolean notModified(HttpExchange ex, FeedBody feed) {
    List<String> inm = ex.getRequestHeaders().get("If-None-Match");
    if (inm != null) {
      for (String header : inm) {
        for (String tag : header.split(",")) {
          String t = tag.strip();
          if (t.equals("*") || t.equals(feed.etag()) || t.equals("W/" + feed.etag())) {
            return true;
          }
        }
      }
      return false;
    }
    String ims = ex.getRequestHeaders().getFirst("If-Modified-Since");
    if (ims == null) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(ims.strip(), HTTP_DATE).toInstant();
      return !feed.lastModified().isAfter(since);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static void send(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
