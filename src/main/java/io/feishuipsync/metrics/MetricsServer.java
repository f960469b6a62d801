package io.feishuipsync.metrics;

import io.feishuipsync.http.BoundedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on the configured address (loopback by default), within
 * {@link BoundedServer}'s limits: a stalled scraper cannot keep the next one out.
 */
public final class MetricsServer implements AutoCloseable {

  private final BoundedServer server;

  public MetricsServer(InetSocketAddress address, SyncMetrics metrics) throws IOException {
    server = BoundedServer.start("metrics", address, BoundedServer.Limits.DEFAULTS, null,
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            boolean found = "/metrics".equals(request.getHttpURI().getPath());
            int status = !found ? 404 : "GET".equals(request.getMethod()) ? 200 : 405;
            byte[] body = status == 200 ? metrics.scrape().getBytes(StandardCharsets.UTF_8) : new byte[0];
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }
        });
  }

  /** The bound address (the port, when 0 was asked for). */
  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }
}
