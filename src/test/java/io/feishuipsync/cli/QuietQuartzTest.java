package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.feishuipsync.core.MutableClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Quartz's repeated failures with stack traces, as the JDBC job store logs them during a database outage. */
class QuietQuartzTest {

  final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
  final ListAppender<ILoggingEvent> seen = new ListAppender<>();
  final MutableClock clock = new MutableClock();
  QuietQuartz filter;

  @BeforeEach
  void attach() {
    seen.setContext(ctx);
    seen.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
    // A CLI test run before in this JVM leaves the filter Logging installs, on the system clock.
    ctx.resetTurboFilterList();
    filter = new QuietQuartz(clock);
    filter.setContext(ctx);
    filter.start();
    ctx.addTurboFilter(filter);
  }

  @AfterEach
  void detach() {
    ctx.getTurboFilterList().remove(filter);
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(seen);
  }

  /** StdRowLockSemaphore logs {@code error("Couldn't rollback jdbc connection. {}", msg, e)}: the exception last. */
  @Test
  void anExceptionPassedAsTheLastArgumentIsOneLineToo() {
    org.slf4j.Logger semaphore = LoggerFactory.getLogger("org.quartz.impl.jdbcjobstore.StdRowLockSemaphore");
    SQLException closed = new SQLException("This connection has been closed.", "08003");
    for (int i = 0; i < 5; i++) {
      semaphore.error("Couldn't rollback jdbc connection. {}", closed.getMessage(), closed);
    }
    List<ILoggingEvent> lines = seen.list;
    assertEquals(1, lines.size(), lines.toString());
    assertNull(lines.get(0).getThrowableProxy(), "no stack trace");
    assertTrue(lines.get(0).getFormattedMessage().contains("This connection has been closed."),
        lines.get(0).getFormattedMessage());
  }

  @Test
  void aFailureRepeatedEveryCheckInIsOneLineWithoutAStackTraceEveryTenMinutes() {
    org.slf4j.Logger store = LoggerFactory.getLogger("org.quartz.impl.jdbcjobstore.JobStoreTX");
    SQLException down = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    for (int i = 0; i < 30; i++) {
      store.error("ClusterManager: Error managing cluster: Failed to obtain DB connection", new RuntimeException(
          "wrapped", down));
      clock.advance(Duration.ofSeconds(15));
    }
    List<ILoggingEvent> lines = seen.list;
    assertEquals(1, lines.size(), lines.toString());
    ILoggingEvent line = lines.get(0);
    assertEquals("quartz", line.getLoggerName());
    assertNull(line.getThrowableProxy(), "no stack trace");
    assertTrue(line.getFormattedMessage().startsWith("JobStoreTX: ClusterManager: Error managing cluster: Failed to"
        + " obtain DB connection (java.sql.SQLException: Connection to 127.0.0.1:5432 refused); the same is not"
        + " logged again for 10m"), line.getFormattedMessage());

    clock.advance(Duration.ofMinutes(3));
    store.error("ClusterManager: Error managing cluster: Failed to obtain DB connection", down);
    assertEquals(2, lines.size(), "said again once ten minutes have passed");

    store.warn("This scheduler instance is still active but was recovered by another instance in the cluster.");
    assertEquals(3, lines.size(), "a warning without a stack trace is left as it is");
    assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", lines.get(2).getLoggerName());
  }
}
