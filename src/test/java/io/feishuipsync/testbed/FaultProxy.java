package io.feishuipsync.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small TCP proxy of the tests' own, for the faults the kernel cannot make here ({@code tc netem} is not built
 * in): it listens on one address and passes each connection to a server on this host's loopback, and on demand
 * holds every chunk for a while each way (seconds of latency) or takes connections and never answers them (a
 * stalled peer). It forwards bytes unchanged and checks nothing.
 */
public final class FaultProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int target;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile long delayMillis;
  private volatile boolean stall;

  /** Listens on {@code address} (an ephemeral port) for the server on 127.0.0.1:{@code targetPort}. */
  public FaultProxy(String address, int targetPort) throws IOException {
    this.target = targetPort;
    listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 200);
    threads.execute(this::accept);
  }

  /** The port it listens on. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Connections taken since it started. */
  public int connections() {
    return connections.get();
  }

  /** Holds every chunk for {@code millis} before passing it on, each way (0: none). */
  public FaultProxy latency(long millis) {
    delayMillis = millis;
    return this;
  }

  /** From now on, takes connections and reads what they send but never connects them on or answers. */
  public FaultProxy stall(boolean on) {
    stall = on;
    return this;
  }

  /** No latency, no stall, and every connection open now closed. */
  public FaultProxy heal() {
    delayMillis = 0;
    stall = false;
    open.forEach(FaultProxy::quietClose);
    open.clear();
    return this;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        connections.incrementAndGet();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try {
      if (stall) {
        client.getInputStream().transferTo(OutputStream.nullOutputStream());
        return;
      }
      Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
      open.add(server);
      threads.execute(() -> pump(server, client));
      pump(client, server);
    } catch (IOException e) {
      // the other side went away
    } finally {
      quietClose(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        long delay = delayMillis;
        if (delay > 0) {
          Thread.sleep(delay);
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed on either side
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      quietClose(from);
      quietClose(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void quietClose(java.io.Closeable s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    quietClose(listener);
    heal();
    threads.shutdownNow();
  }
}
