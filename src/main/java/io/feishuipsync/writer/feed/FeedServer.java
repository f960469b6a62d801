package io.feishuipsync.writer.feed;

import io.feishuipsync.core.Secret;
import io.feishuipsync.http.BoundedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP side of a feed: {@code GET}/{@code HEAD} on one path, answered from whatever {@link FeedBody} the
 * supplier holds at that moment (read once per request), with {@code ETag} and {@code Last-Modified} validators;
 * over TLS and behind basic authentication when configured. It listens within {@link BoundedServer}'s limits, so
 * stalled clients cannot keep a firewall from its list.
 */
final class FeedServer extends Handler.Abstract.NonBlocking implements AutoCloseable {

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  /** How often the certificate and key files are looked at for a renewal (tests shorten it). */
  static volatile java.time.Duration renewalCheck = java.time.Duration.ofSeconds(30);

  private final String path;
  private final Supplier<FeedBody> current;
  private final byte[] authorization;
  private BoundedServer server;

  private FeedServer(String path, Supplier<FeedBody> current, byte[] authorization) {
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
  static FeedServer start(InetSocketAddress address, String path, Supplier<FeedBody> current, FeedTls.Identity tls,
      Credentials credentials) throws IOException {
    byte[] authorization = credentials == null ? null : ("Basic " + Base64.getEncoder().encodeToString(
        (credentials.username() + ":" + credentials.password().reveal()).getBytes(StandardCharsets.UTF_8)))
        .getBytes(StandardCharsets.UTF_8);
    FeedServer feed = new FeedServer(path, current, authorization);
    SslContextFactory.Server factory = null;
    if (tls != null) {
      factory = new SslContextFactory.Server();
      factory.setSslContext(tls.context());
    }
    feed.server = BoundedServer.start("feed", address, BoundedServer.Limits.DEFAULTS, factory, feed);
    if (tls != null) {
      feed.server.every(renewalCheck, () -> {
        SSLContext renewed = tls.renewed();
        if (renewed != null) {
          feed.server.reloadTls(renewed);
        }
      });
    }
    return feed;
  }

  /** The bound address (the port, when 0 was asked for). */
  InetSocketAddress address() {
    return server.address();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpFields.Mutable out = response.getHeaders();
    boolean head = "HEAD".equals(request.getMethod());
    if (!authorized(request)) {
      out.put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"feishu-ipsync\", charset=\"UTF-8\"");
      return send(response, callback, 401, "authentication required\n", head);
    }
    if (!path.equals(request.getHttpURI().getPath())) {
      return send(response, callback, 404, "not found\n", head);
    }
    if (!head && !"GET".equals(request.getMethod())) {
      out.put(HttpHeader.ALLOW, "GET, HEAD");
      return send(response, callback, 405, "method not allowed\n", false);
    }
    FeedBody feed = current.get();
    if (feed == null) {
      // Nothing applied yet: an error keeps the firewall on the list it already has, an empty list would not.
      out.put(HttpHeader.RETRY_AFTER, "60");
      return send(response, callback, 503, "no list applied yet\n", head);
    }
    out.put(HttpHeader.ETAG, feed.etag());
    out.put(HttpHeader.LAST_MODIFIED, HTTP_DATE.format(feed.lastModified().atZone(ZoneOffset.UTC)));
    out.put(HttpHeader.CACHE_CONTROL, "no-cache");
    if (notModified(request.getHeaders(), feed)) {
      response.setStatus(304);
      response.write(true, null, callback);
      return true;
    }
    out.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    out.put(HttpHeader.CONTENT_LENGTH, Integer.toString(feed.body().length));
    response.setStatus(200);
    response.write(true, head ? null : ByteBuffer.wrap(feed.body()), callback);
    return true;
  }

  /** True without configured credentials, else when the request carries them (compared in constant time). */
  private boolean authorized(Request request) {
    if (authorization == null) {
      return true;
    }
    String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    return given != null && MessageDigest.isEqual(authorization, given.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 9110: {@code If-None-Match} decides when present; {@code If-Modified-Since} only without it. */
  private static boolean notModified(HttpFields headers, FeedBody feed) {
    List<String> inm = headers.getValuesList(HttpHeader.IF_NONE_MATCH);
    if (!inm.isEmpty()) {
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
    String ims = headers.get(HttpHeader.IF_MODIFIED_SINCE);
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

  private static boolean send(Response response, Callback callback, int status, String text, boolean head) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
    response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    return true;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
