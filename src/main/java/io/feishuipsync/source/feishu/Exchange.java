package io.feishuipsync.source.feishu;

import io.feishuipsync.core.SourceException;
import io.feishuipsync.source.http.Flight;
import java.io.IOException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

/**
 * One HTTP request to Feishu at a time, each bounded in time ({@link Flight}) and size ({@link AnswerReader});
 * {@link #stop()} abandons the fetch in progress (its request in flight and its waits) and every later one.
 */
final class Exchange implements AutoCloseable {

  private final FeishuSettings settings;
  private final Flight flight;

  Exchange(FeishuSettings settings) {
    this.settings = settings;
    this.flight = new Flight(settings.connectTimeout(), settings.responseTimeout(), "feishu-deadline");
  }

  /** The failure of a fetch abandoned by {@link #stop()}. */
  static SourceException abandoned() {
    return Flight.abandoned();
  }

  /** Marks the calling thread as the one fetching; fails at once after {@link #stop()}. */
  void begin() throws SourceException {
    flight.begin();
  }

  /** Ends the fetch {@link #begin()} started. */
  void end() {
    flight.end();
  }

  boolean stopped() {
    return flight.stopped();
  }

  /** Cancels the request in flight, interrupts the fetching thread, and refuses every later fetch. */
  void stop() {
    flight.stop();
  }

  /** Sends {@code request} once; an answer that is not JSON is returned as such, a transport failure thrown. */
  Answer execute(HttpUriRequestBase request) throws IOException {
    try {
      return flight.send(request, response -> AnswerReader.read(request, response, settings.maxResponseBytes()));
    } catch (AnswerReader.NotJson e) {
      return e.answer;
    }
  }

  @Override
  public void close() {
    flight.close();
  }
}
