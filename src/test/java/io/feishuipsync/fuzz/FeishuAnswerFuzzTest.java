package io.feishuipsync.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.source.feishu.FeishuClient;
import io.feishuipsync.source.feishu.FeishuSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Feishu's answers, fuzzed: a real client fetches from the fake Feishu over loopback HTTP, whose token answer and
 * listing pages are the fuzzer's bytes. Whatever they are, the fetch returns a list of parsed ranges or fails with
 * a {@link SourceException} of one clean line; no other exception, no hang (the client's own bounds hold).
 */
class FeishuAnswerFuzzTest {

  /** Statuses with a body (1xx, 204 and 304 have none: the fake could not send the bytes). */
  static final int[] STATUSES = {200, 400, 401, 403, 404, 429, 500, 502, 503};

  static FakeFeishu feishu;
  static FeishuClient client;

  @BeforeAll
  static void start() throws IOException {
    feishu = new FakeFeishu();
    FeishuSettings s = new FeishuSettings(feishu.baseUrl(), FakeFeishu.APP_ID, Secret.of(FakeFeishu.APP_SECRET), 50,
        20, Duration.ofSeconds(2), Duration.ofSeconds(2), 1, Duration.ofSeconds(5), Duration.ofSeconds(1),
        64 * 1024);
    client = new FeishuClient(s, d -> {}, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    client.close();
    feishu.close();
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsAListOrOneClearError(FuzzedDataProvider data) {
    // The only connections are the client's to the fake on loopback; anything else is still a finding.
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    feishu.heal();
    if (data.consumeBoolean()) {
      feishu.failNextToken(Fault.status(data.pickValue(STATUSES), data.consumeString(2000)));
    }
    int pages = data.consumeInt(1, 3);
    Fault[] answers = new Fault[pages];
    for (int i = 0; i < pages; i++) {
      answers[i] = Fault.status(data.consumeBoolean() ? 200 : data.pickValue(STATUSES),
          i == pages - 1 ? data.consumeRemainingAsString() : data.consumeString(4000));
    }
    feishu.failNextList(answers);
    try {
      SourceList list = client.fetch();
      for (IpRange r : list.entries()) {
        assertTrue(r.equals(IpRange.parse(r.toString())));
      }
    } catch (SourceException e) {
      Lines.oneClearLine(e.getMessage());
      assertFalse(e.getMessage().contains(FakeFeishu.APP_SECRET), "no secret in the error");
    }
  }
}
