package io.feishuipsync.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP listener (Jetty) that a handful of slow, stalled or greedy clients cannot take from the real ones: at most
 * {@link Limits#maxConnections} connections, at most {@link Limits#maxPerClient} from one address (more are closed
 * as they open), and one request per connection, which must be read and answered within {@link Limits#deadline}
 * of the connection opening or the connection is closed. Headers are read by the selector, not a thread, so a client
 * that never finishes its headers holds no thread while it waits for its deadline.
 */
public final class BoundedServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BoundedServer.class);

  /**
   * What one listener allows.
   *
   * @param maxConnections connections open at once; beyond that new ones wait in the kernel's queue
   * @param maxPerClient connections open at once from one IP address; beyond that they are closed at once
   * @param deadline from a connection's opening to the end of its answer
   * @param maxHeaderBytes the request line and headers; a larger request gets 431
   */
  public record Limits(int maxConnections, int maxPerClient, Duration deadline, int maxHeaderBytes) {

    /** Enough for a few dozen firewalls or scrapers polling at once. */
    public static final Limits DEFAULTS = new Limits(64, 8, Duration.ofSeconds(10), 8 * 1024);
  }

  private final Server server;
  private final ServerConnector connector;
  private final SslContextFactory.Server tls;
  private final String threads;

  private BoundedServer(Server server, ServerConnector connector, SslContextFactory.Server tls, String threads) {
    this.server = server;
    this.connector = connector;
    this.tls = tls;
    this.threads = threads;
  }

  /**
   * Binds {@code address} and serves {@code handler} within {@code limits}, over TLS when {@code tls} is not null;
   * throws when the address cannot be bound. {@code name} names the threads.
   */
  public static BoundedServer start(String name, InetSocketAddress address, Limits limits,
      SslContextFactory.Server tls, Handler handler) throws IOException {
    // Acceptor, selector and a few handlers; daemon threads never keep the process alive.
    QueuedThreadPool threads = new QueuedThreadPool(8, 2);
    threads.setName(name);
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory plain = new HttpConnectionFactory(http);
    ServerConnector connector = tls == null ? new ServerConnector(server, 1, 1, plain)
        : new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, plain.getProtocol()), plain);
    connector.setHost(address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(limits.deadline().toMillis());
    connector.addEventListener(new Bounds(limits, connector));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    ErrorHandler errors = new ErrorHandler();
    errors.setShowStacks(false);
    errors.setShowMessageInTitle(false);
    server.setErrorHandler(errors);
    server.setHandler(new OneRequest(handler));
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    return new BoundedServer(server, connector, tls, name);
  }

  /** The bound address (the port, when 0 was asked for). */
  public InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
  }

  /** Serves new connections with {@code context} from now on (a renewed certificate); open ones keep theirs. */
  public void reloadTls(javax.net.ssl.SSLContext context) {
    try {
      tls.reload(f -> f.setSslContext(context));
    } catch (Exception e) {
      log.warn("{}: cannot switch to the renewed certificate: {}", threads, e.getMessage());
    }
  }

  /** Runs {@code task} every {@code period} on the server's scheduler until the server stops. */
  public void every(Duration period, Runnable task) {
    Scheduler scheduler = connector.getScheduler();
    scheduler.schedule(new Runnable() {
      @Override
      public void run() {
        if (!server.isRunning()) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("{}: {}", threads, e.toString());
        }
        scheduler.schedule(this, period.toMillis(), TimeUnit.MILLISECONDS);
      }
    }, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping: the threads are daemons, the socket closes with the process.
    }
  }

  /** Asks the client to close after each answer, so a connection's deadline covers exactly one request. */
  private static final class OneRequest extends Handler.Wrapper {

    OneRequest(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      return super.handle(request, response, callback);
    }
  }

  /**
   * Counts the network connections of each client address, closing one beyond {@code maxPerClient} as it opens, and
   * closes every connection at its deadline. Only the connection on the socket counts (over TLS, the HTTP
   * connection above it is the same client).
   */
  private static final class Bounds implements Connection.Listener {

    private final Limits limits;
    private final Scheduler scheduler;
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final Map<Connection, Open> open = new ConcurrentHashMap<>();

    /** A counted connection: its client (a closed socket no longer says) and its deadline. */
    private record Open(InetAddress client, Scheduler.Task deadline) {}

    Bounds(Limits limits, ServerConnector connector) {
      this.limits = limits;
      this.scheduler = connector.getScheduler();
    }

    @Override
    public void onOpened(Connection connection) {
      EndPoint end = connection.getEndPoint();
      InetAddress client = client(end);
      if (client == null) {
        return;
      }
      int count = perClient.merge(client, 1, Integer::sum);
      Scheduler.Task deadline = count > limits.maxPerClient() ? null
          : scheduler.schedule(end::close, limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
      open.put(connection, new Open(client, deadline));
      if (deadline == null) {
        end.close();
      }
    }

    @Override
    public void onClosed(Connection connection) {
      Open was = open.remove(connection);
      if (was == null) {
        return;
      }
      perClient.computeIfPresent(was.client(), (k, n) -> n > 1 ? n - 1 : null);
      if (was.deadline() != null) {
        was.deadline().cancel();
      }
    }

    private static InetAddress client(EndPoint end) {
      if (!(end instanceof SocketChannelEndPoint)) {
        return null;
      }
      SocketAddress remote = end.getRemoteSocketAddress();
      return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
  }
}
