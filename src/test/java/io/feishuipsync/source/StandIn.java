package io.feishuipsync.source;

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
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback standing in for a sender's API (it says so in a header): the sender's own stand-in
 * answers each request from its state; scripted answers for the next requests come first. Records every request.
 */
public abstract class StandIn implements AutoCloseable {

  /** One answer: status, headers, body. */
  public record Answer(int status, Map<String, String> headers, String body) {

    public static Answer json(int status, String body) {
      return new Answer(status, Map.of("Content-Type", "application/json"), body);
    }
  }

  /** One request as received: method, path with query, headers (first value, lower-case names), body. */
  public record Request(String method, String pathAndQuery, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final Deque<Answer> scripted = new ArrayDeque<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  protected StandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next request with {@code a}, whatever the state says (faults, hostile answers). */
  public synchronized StandIn next(Answer a) {
    scripted.add(a);
    return this;
  }

  /** Every request received so far. */
  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The answer of the sender's API to {@code r}, from the stand-in's state. */
  protected abstract Answer answer(Request r);

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      Map<String, String> headers = new java.util.HashMap<>();
      x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      String query = x.getRequestURI().getRawQuery();
      Request r = new Request(x.getRequestMethod(), x.getRequestURI().getRawPath() + (query == null ? "" : "?"
          + query), headers, new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(r);
      Answer a;
      synchronized (this) {
        a = scripted.poll();
      }
      if (a == null) {
        a = answer(r);
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
      x.getResponseHeaders().add("X-Stand-In", "feishu-ipsync tests; not the real API");
      x.sendResponseHeaders(a.status(), a.status() == 304 || body.length == 0 ? -1 : body.length);
      if (body.length > 0 && a.status() != 304) {
        try (OutputStream out = x.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
