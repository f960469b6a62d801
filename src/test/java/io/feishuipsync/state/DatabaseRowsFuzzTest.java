package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.fuzz.Lines;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster database's rows, fuzzed: {@link DatabaseState} reads the snapshot, status and last history line and
 * the last applied time from rows whose text and time are the fuzzer's (through a stand-in for the JDBC driver that
 * answers every query with one row; it keeps no state and checks no SQL). Whatever they hold, what comes back is a
 * checked value or one clean problem line; nothing else escapes.
 */
class DatabaseRowsFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyRowsAreCheckedValuesOrOneClearProblem(FuzzedDataProvider data) {
    boolean nullTime = data.consumeBoolean();
    Timestamp time = nullTime ? null : new Timestamp(data.consumeLong(-62_135_596_800_000L, 253_402_300_799_000L));
    String snapshot = data.consumeString(3000);
    String status = data.consumeString(2000);
    String history = data.consumeRemainingAsString();
    DatabaseState state = new DatabaseState(rows(sql -> sql.contains("ipsync_snapshot") ? snapshot
        : sql.contains("ipsync_status") ? status : history, time), "node-1");

    StateStore.Loaded loaded = state.loadSnapshot();
    if (loaded.snapshot().isPresent()) {
      loaded.snapshot().get().entries().forEach(r -> assertTrue(r.equals(IpRange.parse(r.toString()))));
    } else {
      Lines.oneClearLine(loaded.problem());
    }
    state.loadStatus().ifPresent(s -> s.writers().forEach((name, w) -> Lines.oneClearLine(name + ".")));
    try {
      state.lockLastApplied();
    } catch (SQLException e) {
      Lines.oneClearLine(e.getMessage());
    }
    try {
      state.appendHistory(Instant.parse("2026-12-05T00:00:00Z"), ChangeSet.between(Set.of(),
          Set.of(IpRange.parse("198.51.100.7"))), 1, "feishu", Map.of());
    } catch (IOException e) {
      Lines.oneClearLine(e.getMessage());
    }
  }

  /** A connection whose every query answers one row: the text {@code text} gives for its SQL, and {@code time}. */
  static Connection rows(Function<String, String> text, Timestamp time) {
    return proxy(Connection.class, (m, args) -> switch (m) {
      case "prepareStatement" -> statement((String) args[0], text, time);
      case "createStatement" -> statement("", text, time);
      default -> null;
    });
  }

  private static PreparedStatement statement(String sql, Function<String, String> text, Timestamp time) {
    return proxy(PreparedStatement.class, (m, args) -> switch (m) {
      case "executeQuery" -> row(text.apply(sql), time);
      case "executeUpdate" -> 1;
      default -> null;
    });
  }

  private static ResultSet row(String text, Timestamp time) {
    boolean[] read = {false};
    return proxy(ResultSet.class, (m, args) -> switch (m) {
      case "next" -> !read[0] && (read[0] = true);
      case "getString" -> text;
      case "getTimestamp" -> time;
      default -> null;
    });
  }

  @FunctionalInterface
  private interface Answer {
    Object answer(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, Answer a) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (p, m, args) -> {
          Object r = a.answer(m.getName(), args);
          if (r == null && m.getReturnType() == boolean.class) {
            return false;
          }
          if (r == null && m.getReturnType() == int.class) {
            return 0;
          }
          return r;
        }));
  }
}
