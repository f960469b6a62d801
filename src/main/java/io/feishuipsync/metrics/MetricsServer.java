package io.feishuipsync.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Serves {@code GET /metrics} in the Prometheus text format on the configured address (loopback by default). */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  public MetricsServer(InetSocketAddress address, SyncMetrics metrics) throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metrics");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", ex -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      int status = "GET".equals(ex.getRequestMethod()) ? 200 : 405;
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(status, status == 200 ? body.length : -1);
      try (OutputStream out = ex.getResponseBody()) {
        if (status == 200) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  /** The bound address (the port, when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
