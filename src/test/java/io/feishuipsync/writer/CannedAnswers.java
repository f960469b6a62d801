package io.feishuipsync.writer;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Answers a stand-in gives as they stand, whatever they hold (a fuzz target's bytes), once each, by action. */
public final class CannedAnswers {

  private record Raw(int status, byte[] body) {}

  private final Map<String, Deque<Raw>> byAction = new HashMap<>();

  /** The next call of {@code action} is answered with {@code body} and HTTP {@code status}. */
  public synchronized void add(String action, int status, byte[] body) {
    byAction.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Raw(status, body));
  }

  /** Drops the answers no call took. */
  public synchronized void clear() {
    byAction.clear();
  }

  /** Sends the next answer of {@code action} as JSON, if one waits; true when it did. */
  public boolean send(HttpExchange ex, String action) throws IOException {
    Raw given;
    synchronized (this) {
      Deque<Raw> q = action == null ? null : byAction.get(action);
      given = q == null ? null : q.poll();
    }
    if (given == null) {
      return false;
    }
    ex.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    ex.sendResponseHeaders(given.status(), given.body().length == 0 ? -1 : given.body().length);
    ex.getResponseBody().write(given.body());
    return true;
  }
}
