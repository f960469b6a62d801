package io.feishuipsync.source.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.MutableClock;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Feishu client against a real HTTP server playing Feishu. */
class FeishuClientTest {

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  final List<Duration> waits = new ArrayList<>();
  final MutableClock clock = new MutableClock();

  FeishuSettings settings() {
    return FeishuSettings.defaults(feishu.baseUrl(), FakeFeishu.APP_ID, Secret.of(FakeFeishu.APP_SECRET));
  }

  FeishuClient client(FeishuSettings s) {
    return new FeishuClient(s, waits::add, clock);
  }

  FeishuClient client() {
    return client(settings());
  }

  SourceException fails(FeishuClient c) {
    SourceException e = assertThrows(SourceException.class, c::fetch);
    assertFalse(e.getMessage().contains(FakeFeishu.APP_SECRET), e.getMessage());
    assertFalse(e.getMessage().contains("-token"), "no token in: " + e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void threePagesAreFetchedWithOneTokenRequest() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(120));
    try (FeishuClient c = client()) {
      SourceList list = c.fetch();
      assertEquals(120, list.entries().size());
      assertTrue(list.entries().contains(IpRange.parse("198.51.100.1")));
      // Several pages are read twice: two listings that agree make one list.
      assertEquals(1 + 3 + 3, list.requests());
      assertEquals(1, feishu.tokenRequests());
      assertEquals(3 + 3, feishu.listRequests());
      assertEquals(feishu.baseUrl().toString(), list.source());
    }
  }

  /**
   * Feishu's list changes between page 1 and page 2 of a listing: that listing mixes the old list and the new, a list
   * Feishu never published, and is not what the client returns; it reads again until two listings agree.
   */
  @Test
  void aListThatChangesBetweenPagesIsReadAgainUntilTwoListingsAgree() throws Exception {
    List<String> old = FakeFeishu.docAddresses(120);
    List<String> next = FakeFeishu.docAddresses(130).subList(10, 130);
    feishu.entries(old).afterPage(n -> {
      if (n == 1) {
        feishu.entries(next);
      }
    });
    try (FeishuClient c = client()) {
      SourceList list = c.fetch();
      assertEquals(ranges(next), list.entries(), "the new list, whole");
      assertEquals(3 * 3, feishu.listRequests(), "a mixed listing, then two that agree");
    }
  }

  @Test
  void aListThatChangesInEveryListingIsRefusedWithNothingApplied() {
    feishu.entries(FakeFeishu.docAddresses(120)).afterPage(n -> {
      if (n % 3 == 1) {
        feishu.entries(FakeFeishu.docAddresses(120 + n).subList(n, 120 + n));
      }
    });
    SourceException e = fails(client());
    assertTrue(e.getMessage().contains("changed between its pages in each of 3 listings in a row"), e.getMessage());
  }

  static java.util.SortedSet<IpRange> ranges(List<String> l) {
    java.util.TreeSet<IpRange> out = new java.util.TreeSet<>();
    l.forEach(s -> out.add(IpRange.parse(s)));
    return out;
  }

  @Test
  void cachedTokenServesTheNextFetch() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    try (FeishuClient c = client()) {
      c.fetch();
      SourceList second = c.fetch();
      assertEquals(1, second.requests());
      assertEquals(1, feishu.tokenRequests());
    }
  }

  @Test
  void tokenIsRefreshedThreeMinutesBeforeItExpires() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    try (FeishuClient c = client()) {
      c.fetch();
      clock.advance(Duration.ofSeconds(7200 - 181));
      c.fetch();
      assertEquals(1, feishu.tokenRequests());
      clock.advance(Duration.ofSeconds(2));
      c.fetch();
      assertEquals(2, feishu.tokenRequests());
    }
  }

  @Test
  void tokenExpiringMidListingGetsANewTokenAndRestartsFromPageOne() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(120));
    feishu.invalidateTokensAfterPages(2);
    try (FeishuClient c = client()) {
      SourceList list = c.fetch();
      assertEquals(120, list.entries().size());
      assertEquals(2, feishu.tokenRequests());
      // token, pages 1-2, rejected page 3, token, pages 1-3, and pages 1-3 again to confirm them
      assertEquals(1 + 3 + 1 + 3 + 3, list.requests());
      List<String> auth = feishu.authorizations();
      assertNotEquals(auth.get(0), auth.get(auth.size() - 1), "the new token is used");
    }
  }

  @Test
  void tokenRejectedTwiceIsAnError() {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.code(400, 99991663, "Invalid access token"), Fault.code(401, 99991664, "expired"));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("freshly issued token"), e.getMessage());
      assertEquals(2, feishu.tokenRequests());
    }
  }

  @Test
  void rateLimitWaitsAsTheResetHeaderSays() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.rateLimited(2));
    try (FeishuClient c = client()) {
      assertEquals(3, c.fetch().entries().size());
      assertEquals(List.of(Duration.ofSeconds(2)), waits);
      assertEquals(3, feishu.requestCount());
    }
  }

  @Test
  void rateLimitWaitIsBounded() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.rateLimited(86400));
    try (FeishuClient c = client()) {
      c.fetch();
      assertEquals(List.of(Duration.ofMinutes(2)), waits);
    }
  }

  @Test
  void serverErrorThenSuccessIsRetriedWithBackoff() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    feishu.failNextList(Fault.status(500, "oops"), Fault.status(503, "{\"code\":1,\"msg\":\"busy\"}"));
    try (FeishuClient c = client()) {
      assertEquals(3, c.fetch().entries().size());
      assertEquals(2, waits.size());
      assertTrue(waits.get(0).toMillis() >= 250 && waits.get(0).toMillis() <= 500, waits.toString());
      assertTrue(waits.get(1).toMillis() >= 500 && waits.get(1).toMillis() <= 1000, waits.toString());
      assertEquals(4, feishu.requestCount());
    }
  }

  @Test
  void serverErrorForeverGivesUpAfterMaxAttempts() {
    feishu.entries(FakeFeishu.docAddresses(3));
    for (int i = 0; i < 10; i++) {
      feishu.failNextList(Fault.status(502, "bad gateway"));
    }
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("after 5 attempts"), e.getMessage());
      assertTrue(e.getMessage().contains("log id"), e.getMessage());
      assertEquals(1 + 5, feishu.requestCount());
      assertEquals(4, waits.size());
    }
  }

  @Test
  void totalRetryTimeIsBounded() {
    FeishuSettings s = settings();
    s = new FeishuSettings(s.baseUrl(), s.appId(), s.appSecret(), 50, 100, s.connectTimeout(), s.responseTimeout(),
        50, Duration.ofSeconds(3), s.maxRateLimitWait(), s.maxResponseBytes());
    for (int i = 0; i < 60; i++) {
      feishu.failNextList(Fault.rateLimited(1));
    }
    try (FeishuClient c = client(s)) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("max_retry_time"), e.getMessage());
      assertEquals(Duration.ofSeconds(3), waits.stream().reduce(Duration.ZERO, Duration::plus));
    }
  }

  @Test
  void malformedJsonIsInvalidAndNotRetried() {
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"data\":{\"ip_list\":[\"198.51.100.1\""));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
      assertEquals(2, feishu.requestCount());
    }
  }

  @Test
  void missingIpListIsInvalid() {
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"msg\":\"success\",\"data\":{\"ip_list\":\"1.2.3.4\"}}"));
    try (FeishuClient c = client()) {
      assertTrue(fails(c).getMessage().contains("no data.ip_list"));
    }
  }

  @Test
  void nonZeroCodeWithHttp200IsAnError() {
    feishu.failNextList(Fault.code(200, 190001, "internal thing"));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertEquals(190001L, e.feishuCode());
      assertTrue(e.getMessage().contains("internal thing"), e.getMessage());
      assertEquals(2, feishu.requestCount());
    }
  }

  @Test
  void emptyListIsReturnedForTheGuardsToJudge() throws Exception {
    try (FeishuClient c = client()) {
      assertTrue(c.fetch().entries().isEmpty());
    }
  }

  @Test
  void repeatedPageTokenIsAnErrorNotALoop() {
    feishu.entries(FakeFeishu.docAddresses(3)).loopingPageToken("again");
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("page_token repeats"), e.getMessage());
      assertEquals(1 + 2, feishu.requestCount());
    }
  }

  @Test
  void hasMoreWithoutPageTokenIsAnError() {
    feishu.failNextList(Fault.status(200,
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"ip_list\":[\"198.51.100.1\"],\"has_more\":true,\"page_token\":\"\"}}"));
    try (FeishuClient c = client()) {
      assertTrue(fails(c).getMessage().contains("no page_token"));
    }
  }

  @Test
  void tooManyPagesIsAnError() {
    feishu.entries(FakeFeishu.docAddresses(200));
    FeishuSettings s = settings();
    s = new FeishuSettings(s.baseUrl(), s.appId(), s.appSecret(), 10, 5, s.connectTimeout(), s.responseTimeout(),
        s.maxAttempts(), s.maxRetryTime(), s.maxRateLimitWait(), s.maxResponseBytes());
    try (FeishuClient c = client(s)) {
      assertTrue(fails(c).getMessage().contains("max_pages 5"));
      assertEquals(1 + 5, feishu.requestCount());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "1.2.3.4/33", "0.0.0.0/0", "::/0", "", "1.2.3.4; flush ruleset", "1.2.3.4 ",
      "198.51.100.1\nflush", "${jndi:ldap://x}"})
  void oneInvalidEntryMakesTheWholeAnswerInvalid(String bad) {
    List<String> list = new ArrayList<>(FakeFeishu.docAddresses(60));
    list.add(55, bad);
    feishu.entries(list);
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("invalid answer from Feishu, nothing applied"), e.getMessage());
      String shown = bad.replace("\n", "\\n");
      assertTrue(e.getMessage().contains("\"" + shown + "\""), e.getMessage());
      assertTrue(e.getMessage().contains("log id"), e.getMessage());
    }
  }

  @Test
  void nonStringEntryIsInvalid() {
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"data\":{\"ip_list\":[16909060],\"has_more\":false}}"));
    try (FeishuClient c = client()) {
      assertTrue(fails(c).getMessage().contains("16909060 is not a string"));
    }
  }

  @Test
  void wrongSecretIsAClearErrorWithoutRetry() {
    feishu.secret("another-secret");
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("rejected the app credentials"), e.getMessage());
      assertEquals(10014L, e.feishuCode());
      assertEquals(1, feishu.requestCount());
    }
  }

  @Test
  void missingScopeNamesThePermission() {
    feishu.missingScope();
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("event:ip_list"), e.getMessage());
      assertEquals(2, feishu.requestCount());
    }
  }

  @Test
  void invalidPagingParameterIsNotRetried() {
    feishu.failNextList(Fault.code(400, 1810001, "param is invalid"));
    try (FeishuClient c = client()) {
      SourceException e = fails(c);
      assertEquals(1810001L, e.feishuCode());
      assertTrue(e.getMessage().contains("paging parameters"), e.getMessage());
      assertEquals(2, feishu.requestCount());
    }
  }

  @Test
  void serverSlowerThanTheTimeoutFails() {
    FeishuSettings s = settings();
    s = new FeishuSettings(s.baseUrl(), s.appId(), s.appSecret(), 50, 100, Duration.ofSeconds(1),
        Duration.ofMillis(300), 2, s.maxRetryTime(), s.maxRateLimitWait(), s.maxResponseBytes());
    feishu.failNextList(Fault.slow(1500), Fault.slow(1500));
    try (FeishuClient c = client(s)) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("timeout"), e.getMessage());
      assertEquals(1 + 2, feishu.requestCount());
    }
  }

  @Test
  void unreachableServerFailsAfterRetries() throws Exception {
    FeishuSettings s = settings();
    feishu.close();
    try (FeishuClient c = client(s)) {
      SourceException e = fails(c);
      assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
      assertEquals(4, waits.size());
    }
  }

  @Test
  void oversizedAnswerIsRefused() {
    FeishuSettings s = settings();
    s = new FeishuSettings(s.baseUrl(), s.appId(), s.appSecret(), 50, 100, s.connectTimeout(), s.responseTimeout(),
        s.maxAttempts(), s.maxRetryTime(), s.maxRateLimitWait(), 10_000);
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"msg\":\"" + "x".repeat(20_000) + "\"}"));
    try (FeishuClient c = client(s)) {
      assertTrue(fails(c).getMessage().contains("larger than 10000 bytes"));
      assertEquals(2, feishu.requestCount());
    }
  }

  @Test
  void ipv6AndCidrEntriesAreNormalisedAndDeduplicated() throws Exception {
    feishu.entries(List.of("2001:DB8::1", "2001:db8:0::1", "198.51.100.0/24", "198.51.100.0/24", "203.0.113.9"));
    try (FeishuClient c = client()) {
      assertEquals("[198.51.100.0/24, 203.0.113.9/32, 2001:db8::1/128]", c.fetch().entries().toString());
    }
  }

  @Test
  void secretIsSentOnlyToTheTokenEndpoint() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(60));
    try (FeishuClient c = client()) {
      c.fetch();
    }
    List<String> bodies = feishu.requestBodies();
    assertTrue(bodies.get(0).contains(FakeFeishu.APP_SECRET));
    assertTrue(bodies.subList(1, bodies.size()).stream().noneMatch(b -> b.contains(FakeFeishu.APP_SECRET)));
    assertTrue(feishu.authorizations().stream().allMatch(a -> a.startsWith("Bearer t-")));
  }

  @Test
  void checkCredentialsAsksForAFreshToken() throws Exception {
    try (FeishuClient c = client()) {
      c.checkCredentials();
      c.checkCredentials();
      assertEquals(2, feishu.tokenRequests());
    }
    feishu.secret("other");
    try (FeishuClient c = client()) {
      SourceException e = assertThrows(SourceException.class, c::checkCredentials);
      assertEquals(10014L, e.feishuCode());
    }
  }
}
