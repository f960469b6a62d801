package io.feishuipsync.source.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.source.feishu.FakeFeishu.Delivery;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against answers that lie: sizes, numbers, strings, paging, and a stop in the middle of a fetch. */
class FeishuClientHardeningTest {

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  final List<Duration> waits = new ArrayList<>();
  final MutableClock clock = new MutableClock();

  FeishuClient client() {
    return new FeishuClient(FeishuSettings.defaults(feishu.baseUrl(), FakeFeishu.APP_ID,
        Secret.of(FakeFeishu.APP_SECRET)), waits::add, clock);
  }

  SourceException fails(FeishuClient c) {
    SourceException e = assertThrows(SourceException.class, c::fetch);
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    assertFalse(e.getMessage().matches(".*\\w+(Exception|Error)\\b.*"), "no class name: " + e.getMessage());
    return e;
  }

  static Fault token(String expire) {
    return Fault.status(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-abc\",\"expire\":" + expire + "}");
  }

  @Test
  void anExpiredPageTokenRestartsTheListingFromPageOneOnce() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(120)).expirePageTokens(1);
    try (FeishuClient c = client()) {
      assertEquals(120, c.fetch().entries().size());
      assertEquals(2 + 3 + 3, feishu.listRequests(), "page 1, page 2 refused, then pages 1 to 3, twice");
      assertEquals(1, feishu.tokenRequests());
    }
  }

  @Test
  void aPageTokenRefusedAgainAfterTheRestartSaysWhatHappened() {
    feishu.entries(FakeFeishu.docAddresses(120)).expirePageTokens(2);
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("rejected the page_token it had returned for page 2"), e.getMessage());
      assertTrue(e.getMessage().contains("restarted from page 1"), e.getMessage());
      assertFalse(e.getMessage().contains("page_size"), e.getMessage());
      assertEquals(1810001L, e.feishuCode());
      assertEquals(4, feishu.listRequests());
    }
  }

  @Test
  void anAbsurdTokenLifetimeIsClampedToTwoHours() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3)).tokenLifetime(Integer.MAX_VALUE);
    try (FeishuClient c = client()) {
      c.fetch();
      clock.advance(Duration.ofHours(2));
      c.fetch();
      assertEquals(2, feishu.tokenRequests(), "a token is not trusted beyond two hours");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-7200", "\"7200\"", "7200.5", "1e400", "99999999999999999999999", "null", "{}",
      "[7200]", "true"})
  void aTokenLifetimeThatIsNoLifetimeIsRefused(String expire) {
    feishu.failNextToken(token(expire));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("expire") && e.getMessage().contains("not a positive number of seconds"),
          e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "NaN", "1e9", "99999999999999999999", "0x10", "10 s", " "})
  void anUnreadableResetHeaderFallsBackToBackoff(String reset) throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.rateLimited(0).withHeader("x-ogw-ratelimit-reset", reset));
    try (FeishuClient c = client()) {
      assertEquals(3, c.fetch().entries().size());
      assertEquals(1, waits.size());
      assertTrue(waits.get(0).toMillis() >= 250 && waits.get(0).toMillis() <= 500, waits.toString());
    }
  }

  @Test
  void aZeroResetStillWaitsASecondAndRetryAfterIsHonoured() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.rateLimited(0),
        Fault.status(503, "{\"code\":1,\"msg\":\"busy\"}").withHeader("Retry-After", "7"),
        Fault.status(429, "{\"code\":99991400,\"msg\":\"slow down\"}").withHeader("Retry-After", "86400"));
    try (FeishuClient c = client()) {
      c.fetch();
      assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofMinutes(2)), waits);
    }
  }

  @Test
  void theRequestIdIsQuotedFromAnotherHeaderOrFromTheBody() {
    feishu.failNextList(
        Fault.status(400, "{\"code\":1234,\"msg\":\"denied\"}").withHeader("X-Tt-Logid", "")
            .withHeader("X-Request-Id", "req-42"));
    try (FeishuClient c = client()) {
      assertEquals("req-42", fails(c).logId());
    }
    feishu.failNextList(Fault.status(400,
        "{\"code\":1234,\"msg\":\"denied\",\"error\":{\"log_id\":\"20261125ABCDEF\"}}").withHeader("X-Tt-Logid", ""));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertEquals("20261125ABCDEF", e.logId());
      assertTrue(e.getMessage().contains("log id 20261125ABCDEF"), e.getMessage());
    }
  }

  @Test
  void controlCharactersInMsgAndLogIdAreEscapedAndLongOnesCut() {
    feishu.failNextList(Fault.status(400,
        "{\"code\":1234,\"msg\":\"denied\\n2026-11-25 ERROR forged \\u001b[31mred\\u202e\" }")
        .withHeader("X-Tt-Logid", "id\u001b[2J"));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertEquals("denied\\n2026-11-25 ERROR forged \\u001b[31mred\\u202e", e.feishuMsg());
      assertEquals("id\\u001b[2J", e.logId());
      assertFalse(e.getMessage().chars().anyMatch(ch -> ch < 0x20 || ch == 0x202e), e.getMessage());
    }
    feishu.failNextList(Fault.code(400, 1234, "m".repeat(100_000)));
    try (FeishuClient c = client()) {
      assertTrue(fails(c).getMessage().length() < 1000);
    }
  }

  @Test
  void aSixteenMegabyteChunkedErrorBodyIsRefusedAtTheCap() {
    feishu.failNextList(Fault.status(500, "{\"code\":1,\"msg\":\"" + "x".repeat(16_000_000) + "\"}")
        .delivered(Delivery.CHUNKED));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("larger than 1048576 bytes"), e.getMessage());
      assertEquals(2, feishu.requestCount(), "not retried");
    }
  }

  @Test
  void enormousHeadersAreRefusedWithoutAClassName() {
    feishu.failNextList(Fault.status(200, "{}").withHeader("X-Padding", "p".repeat(100_000)));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("headers exceed"), e.getMessage());
      assertEquals(2, feishu.requestCount(), "not retried");
    }
  }

  @Test
  void stopAbortsARateLimitWaitAndLaterFetchesFailAtOnce() throws Exception {
    feishu.answerEverything(Fault.rateLimited(100));
    try (FeishuClient c = new FeishuClient(FeishuSettings.defaults(feishu.baseUrl(), FakeFeishu.APP_ID,
        Secret.of(FakeFeishu.APP_SECRET)), Sleeper.SYSTEM, clock)) {
      assertStoppedPromptly(c);
      long start = System.nanoTime();
      assertTrue(assertThrows(SourceException.class, c::fetch).getMessage().contains("daemon is stopping"));
      assertTrue(System.nanoTime() - start < 1_000_000_000L);
    }
  }

  @Test
  void stopAbortsARequestInFlight() throws Exception {
    feishu.answerEverything(Fault.slow(60_000));
    try (FeishuClient c = client()) {
      assertStoppedPromptly(c);
    }
  }

  private void assertStoppedPromptly(FeishuClient c) throws Exception {
    AtomicBoolean interruptedAfter = new AtomicBoolean(true);
    CompletableFuture<String> message = CompletableFuture.supplyAsync(() -> {
      try {
        c.fetch();
        return "fetched";
      } catch (SourceException e) {
        interruptedAfter.set(Thread.currentThread().isInterrupted());
        return e.getMessage();
      }
    });
    for (int i = 0; i < 100 && feishu.requestCount() == 0; i++) {
      Thread.sleep(50);
    }
    Thread.sleep(300);
    long start = System.nanoTime();
    c.stop();
    String m = message.get(5, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertNotNull(m);
    assertTrue(m.contains("fetch abandoned: the daemon is stopping"), m);
    assertTrue(ms < 2000, "stopped after " + ms + " ms");
    assertFalse(interruptedAfter.get(), "the interrupt does not outlive the fetch");
  }

  @Test
  void aStopAfterTheFetchLeavesWhatFollowsAlone() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    try (FeishuClient c = client()) {
      c.fetch();
      Thread stopper = new Thread(c::stop);
      stopper.start();
      stopper.join();
      // The caller is applying now: it must not be interrupted (an interrupted thread cannot write files).
      assertFalse(Thread.currentThread().isInterrupted());
    }
  }

  @Test
  void anAnswerThatIsNotAnObjectLacksTheFieldsAndSaysSo() {
    for (String body : List.of("[1,2,3]", "\"ok\"", "42", "null")) {
      feishu.failNextList(Fault.status(200, body));
      try (FeishuClient c = client()) {
        SourceException e = fails(c);
        assertTrue(e.getMessage().contains("invalid answer from Feishu"), body + ": " + e.getMessage());
      }
    }
  }
}
