package io.feishuipsync.writer.feed;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the applied list over HTTP. The list lives in memory as one immutable {@link FeedBody}; {@link #apply}
 * builds the new one whole and swaps it in with one write, so every client gets the old list or the new one.
 * In the daemon the server starts at the first {@link #check} (a port in use fails the check, before any writer
 * changes anything) and serves the last successful sync's list until the first apply. Elsewhere (a one-shot
 * {@code sync}, a dry run beside the daemon) it never takes the port: it holds the list for the snapshot, and the
 * daemon serves it.
 */
final class FeedWriter implements Writer, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeedWriter.class);

  /**
   * Where and how the list is served.
   *
   * @param tls null for plain HTTP
   * @param credentials null when anyone who reaches {@code listen} may read
   * @param enabled false outside the daemon: nothing is served then
   */
  record Serving(InetSocketAddress listen, String path, FeedTls.Identity tls, FeedServer.Credentials credentials,
      boolean enabled) {}

  private final Serving serving;
  private final FeedFamily family;
  private final Supplier<SortedSet<IpRange>> lastApplied;
  private final Clock clock;
  private volatile FeedBody current;
  private FeedServer server;

  FeedWriter(Serving serving, FeedFamily family, Supplier<SortedSet<IpRange>> lastApplied, Clock clock) {
    this.serving = serving;
    this.family = family;
    this.lastApplied = lastApplied;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "feed:" + hostPort(serving.listen()) + serving.path();
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (IpRange r : desired) {
      if (family.admits(r)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public synchronized void check() throws WriterException {
    if (server != null || (!serving.enabled() && current != null)) {
      return;
    }
    SortedSet<IpRange> last = scope(lastApplied.get());
    if (!last.isEmpty()) {
      current = FeedBody.of(last, clock.instant());
    }
    if (!serving.enabled()) {
      return;
    }
    try {
      server = FeedServer.start(serving.listen(), serving.path(), () -> current, serving.tls(),
          serving.credentials());
    } catch (IOException e) {
      current = null;
      throw new WriterException(name(), "cannot serve on " + hostPort(serving.listen()) + " (listen): "
          + e.getMessage() + "; another process may hold the port, or the address is not on this host;"
          + " choose another listen");
    }
    log.info("{}: serving {} entries at {}://{}{}{}", name(), last.size(), serving.tls() == null ? "http" : "https",
        hostPort(address()), serving.path(), serving.credentials() == null ? "" : " to user "
        + serving.credentials().username());
  }

  @Override
  public Holding read() {
    FeedBody feed = current;
    return Holding.of(feed == null ? new TreeSet<>() : feed.entries());
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    check();
    current = FeedBody.of(scope(desired), clock.instant());
    if (!serving.enabled()) {
      log.info("{}: the daemon (feishu-ipsync run) serves the feed; this sync records the list it will serve",
          name());
    }
  }

  /** Where the server listens (the real port when 0 was configured); only after {@link #check}. */
  synchronized InetSocketAddress address() {
    return server.address();
  }

  /** Stops serving; the process ending does the same. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
