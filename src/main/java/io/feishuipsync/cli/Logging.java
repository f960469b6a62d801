package io.feishuipsync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/** Sets up Logback from the config: one line per event, text or JSON, to stdout (journald) or stderr. */
final class Logging {

  /**
   * Loggers that could print credentials (HttpClient's headers and wire, the AWS SDK's signed requests, Jetty's
   * requests with the feed's Authorization header) stay at WARN whatever the level; Quartz is only noisy.
   */
  private static final String[] QUIET = {"org.apache.hc", "software.amazon.awssdk", "org.quartz",
      "org.eclipse.jetty"};
  /**
   * Loggers that only repeat, with a stack trace, a failure the writer reports itself in one line: the Huawei Cloud
   * SDK logs each connection failure at ERROR.
   */
  private static final String[] SILENT = {"com.huaweicloud.sdk"};

  private Logging() {}

  static void configure(String format, String level, boolean toStdout) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();

    Encoder<ILoggingEvent> encoder;
    if ("json".equals(format)) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMDC(false);
      json.setWithKVPList(false);
      json.setWithFormattedMessage(true);
      json.setWithMessage(false);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      // journald adds its own timestamp; keep ours for stderr and files.
      text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n");
      encoder = text;
    }
    encoder.setContext(ctx);
    encoder.start();

    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName("console");
    appender.setTarget(toStdout ? "System.out" : "System.err");
    appender.setEncoder(encoder);
    appender.start();

    root.addAppender(appender);
    root.setLevel(Level.toLevel(level, Level.INFO));
    for (String name : QUIET) {
      ctx.getLogger(name).setLevel(Level.WARN);
    }
    for (String name : SILENT) {
      ctx.getLogger(name).setLevel(Level.OFF);
    }
    ctx.resetTurboFilterList();
    QuietQuartz quartz = new QuietQuartz(java.time.Clock.systemUTC());
    quartz.setContext(ctx);
    quartz.start();
    ctx.addTurboFilter(quartz);
  }
}
