package io.feishuipsync.source.feishu;

import io.feishuipsync.core.SourceException;
import io.feishuipsync.source.http.BoundedClient;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request at a time, each bounded in time and size; {@link #stop()} abandons the fetch in progress (its
 * request in flight and its waits) and every later one.
 */
final class Exchange implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  private static final String STOPPED = "fetch abandoned: the daemon is stopping; nothing applied";

  private final FeishuSettings settings;
  private final CloseableHttpClient http;
  private final ScheduledExecutorService deadlines;
  private final Object fetchLock = new Object();
  /** The thread running a fetch, guarded by {@code fetchLock}. */
  private Thread fetching;
  private volatile HttpUriRequestBase inFlight;
  private volatile boolean stopped;

  Exchange(FeishuSettings settings) {
    this.settings = settings;
    this.http = BoundedClient.build(settings.connectTimeout(), settings.responseTimeout());
    this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "feishu-deadline");
      t.setDaemon(true);
      return t;
    });
  }

  /** The failure of a fetch abandoned by {@link #stop()}. */
  static SourceException abandoned() {
    return SourceException.abandoned(STOPPED);
  }

  /** Marks the calling thread as the one fetching; fails at once after {@link #stop()}. */
  void begin() throws SourceException {
    synchronized (fetchLock) {
      if (stopped) {
        throw abandoned();
      }
      fetching = Thread.currentThread();
    }
  }

  /** Ends the fetch {@link #begin()} started; clears an interrupt meant only for it. */
  void end() {
    synchronized (fetchLock) {
      fetching = null;
      inFlight = null;
      if (stopped) {
        // The interrupt was meant for this fetch only; what follows (recording the run) must not see it.
        Thread.interrupted();
      }
    }
  }

  boolean stopped() {
    return stopped;
  }

  /** Cancels the request in flight, interrupts the fetching thread, and refuses every later fetch. */
  void stop() {
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

  /** Sends {@code request} once; an answer that is not JSON is returned as such, a transport failure thrown. */
  Answer execute(HttpUriRequestBase request) throws IOException {
    // The response timeout bounds each read; this bounds a server that trickles bytes forever.
    Duration deadline = settings.connectTimeout().plus(settings.responseTimeout().multipliedBy(2));
    ScheduledFuture<?> cancel = deadlines.schedule(request::cancel, deadline.toMillis(), TimeUnit.MILLISECONDS);
    inFlight = request;
    try {
      if (stopped) {
        throw new InterruptedIOException("stopping");
      }
      return http.execute(request, response -> AnswerReader.read(request, response, settings.maxResponseBytes()));
    } catch (AnswerReader.NotJson e) {
      return e.answer;
    } catch (AnswerReader.ResponseTooLarge | MessageConstraintException e) {
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
}
