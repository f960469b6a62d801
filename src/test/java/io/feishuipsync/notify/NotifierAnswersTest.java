package io.feishuipsync.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.SyncResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a bot or webhook answers is network text: it reaches the log as one escaped line. */
class NotifierAnswersTest {

  @TempDir
  Path state;

  HttpServer server;
  volatile String botAnswer;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/bot", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] out = botAnswer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    logged.start();
    ((Logger) LoggerFactory.getLogger(Notifier.class)).addAppender(logged);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(Notifier.class)).detachAppender(logged);
    server.stop(0);
  }

  String warningAfterAChange() {
    Notifier n = new Notifier(new NotifySettings(
        new ChannelSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bot"), null), null, 3,
        Duration.ofMinutes(10)), state, new MutableClock());
    n.after(NotifierTest.result(SyncResult.Outcome.SUCCESS, "applied", List.of("198.51.100.7"), List.of()), 0);
    List<String> warnings = logged.list.stream().filter(e -> e.getFormattedMessage().startsWith("cannot notify"))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(1, warnings.size(), logged.list.toString());
    return warnings.get(0);
  }

  @Test
  void aBotMsgWithNewlinesAndEscapesIsLoggedAsOneEscapedLine() {
    botAnswer = "{\"code\":19021,\"msg\":\"sign match fail\\n2026-11-25 ERROR forged\\u001b[2J\\u202e\"}";
    String w = warningAfterAChange();
    assertTrue(w.contains("code 19021: sign match fail\\n2026-11-25 ERROR forged\\u001b[2J\\u202e"), w);
    assertFalse(w.chars().anyMatch(c -> c < 0x20 || c == 0x202e), w);
  }

  @Test
  void aBotAnswerThatIsNotJsonIsQuotedEscapedAndShort() {
    botAnswer = "<html>\n\u001b[31m" + "x".repeat(5000) + "</html>";
    String w = warningAfterAChange();
    assertTrue(w.contains("not JSON: <html>\\n\\u001b[31m"), w);
    assertFalse(w.chars().anyMatch(c -> c < 0x20), w);
    assertTrue(w.length() < 400, w);
  }
}
