package io.feishuipsync.source.http;

import io.feishuipsync.core.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetches of one sender's client, one request at a time: each request bounded by a whole-request deadline (the
 * client's timeouts bound each read; this bounds a server that trickles bytes forever), and {@link #stop()}
 * abandoning the fetch in progress (its request in flight and its waits) and every later one.
 */
public final class Flight implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Flight.class);
  private static final String STOPPED = "fetch abandoned: the daemon is stopping; nothing applied";

  private final CloseableHttpClient http;
  private final Duration deadline;
  private final ScheduledExecutorService deadlines;
  private final Object fetchLock = new Object();
  /** The thread running a fetch, guarded by {@code fetchLock}. */
  private Thread fetching;
  private volatile HttpUriRequestBase inFlight;
  private volatile boolean stopped;

  /** Requests through a {@link BoundedClient} of these timeouts, each given connect + 2 × response in all. */
  public Flight(Duration connectTimeout, Duration responseTimeout, String threadName) {
    this.http = BoundedClient.build(connectTimeout, responseTimeout);
    this.deadline = connectTimeout.plus(responseTimeout.multipliedBy(2));
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** The failure of a fetch abandoned by {@link #stop()}. */
  public static SourceException abandoned() {
    return SourceException.abandoned(STOPPED);
  }

  /** Marks the calling thread as the one fetching; fails at once after {@link #stop()}. */
  public void begin() throws SourceException {
    synchronized (fetchLock) {
      if (stopped) {
        throw abandoned();
      }
      fetching = Thread.currentThread();
    }
  }

  /** Ends the fetch {@link #begin()} started; clears an interrupt meant only for it. */
  public void end() {
    synchronized (fetchLock) {
      fetching = null;
      inFlight = null;
      if (stopped) {
        // The interrupt was meant for this fetch only; what follows (recording the run) must not see it.
        Thread.interrupted();
      }
    }
  }

  public boolean stopped() {
    return stopped;
  }

  /** Cancels the request in flight, interrupts the fetching thread, and refuses every later fetch. */
  public void stop() {
    synchronized (fetchLock) {
      stopped = true;
      if (fetching != null) {
        HttpUriRequestBase request = inFlight;
        if (request != null) {
          request.cancel();
        }
        fetching.interrupt();
      }
    }
  }

  /**
   * Sends {@code request} once and reads its answer with {@code reader}. What the reader refused ({@link Refused})
   * and headers beyond the bounds pass as they are; a request its deadline cancelled is a timeout.
   */
  public <T> T send(HttpUriRequestBase request, HttpClientResponseHandler<? extends T> reader) throws IOException {
    ScheduledFuture<?> cancel = deadlines.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
    inFlight = request;
    try {
      if (stopped) {
        throw new InterruptedIOException("stopping");
      }
      return http.execute(request, reader);
    } catch (Refused | MessageConstraintException e) {
      throw e;
    } catch (IOException e) {
      if (request.isCancelled() && !stopped) {
        throw new InterruptedIOException("no complete answer within " + deadline.toSeconds() + "s");
      }
      throw e;
    } finally {
      inFlight = null;
      cancel.cancel(false);
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    try {
      http.close();
    } catch (IOException e) {
      log.debug("closing the HTTP client: {}", e.getMessage());
    }
  }

  /** An answer its reader refused (too large, not the format): read no further, never retried as a transport error. */
  public static class Refused extends IOException {

    public Refused(String message) {
      super(message);
    }
  }
}
