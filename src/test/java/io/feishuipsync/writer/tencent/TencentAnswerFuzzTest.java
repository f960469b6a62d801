package io.feishuipsync.writer.tencent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.fuzz.Lines;
import java.nio.charset.StandardCharsets;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tencent Cloud's answers, fuzzed: the real SDK reads, over loopback HTTP, what the stateful fake answers, and one
 * answer of the fuzzer's choice (the policies' listing, the quota, a creation, a deletion) is the fuzzer's bytes.
 * Whatever they are, the writer's read and converge end normally or in a {@link WriterException} of one clean line
 * without the secret key; nothing else escapes.
 */
class TencentAnswerFuzzTest {

  static final String GROUP = "sg-0fuzz001";
  static final String[] ACTIONS = {"DescribeSecurityGroupPolicies", "DescribeSecurityGroupLimits",
      "CreateSecurityGroupPolicies", "DeleteSecurityGroupPolicies"};
  static final int[] STATUSES = {200, 200, 200, 400, 403, 500};
  static FakeVpc vpc;
  static Writer writer;

  @BeforeAll
  static void start() throws Exception {
    vpc = new FakeVpc();
    vpc.addGroup(GROUP);
    TencentWriterType.Settings s = ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(
        TencentPolicyWriterTest.connection(vpc, FakeVpc.SECRET_KEY) + "group_ids: [" + GROUP + "]\nports: [443]\n"),
        TencentWriterType.Settings.class);
    writer = TencentWriterType.create(s, TencentTests.NO_CREDENTIALS, d -> { });
  }

  @AfterAll
  static void stop() {
    vpc.close();
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsReadOrOneClearError(FuzzedDataProvider data) {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    vpc.forgetAnswers();
    String action = data.pickValue(ACTIONS);
    int status = data.pickValue(STATUSES);
    byte[] answer = data.consumeRemainingAsBytes();
    vpc.answerNextWith(action, status, answer);
    // An error may quote the answer (sanitized); the fuzzer learns the secret's text and may put it there itself.
    boolean secretInAnswer = new String(answer, StandardCharsets.ISO_8859_1).contains(FakeVpc.SECRET_KEY);
    SortedSet<IpRange> desired = new TreeSet<>(java.util.List.of(IpRange.parse("198.51.100.7"),
        IpRange.parse("203.0.113.0/28")));
    try {
      Holding before = writer.read();
      before.entries().forEach(r -> assertTrue(r.equals(IpRange.parse(r.toString()))));
      before.drift().forEach(Lines::oneClearLine);
      writer.apply(desired, ChangeSet.between(before.entries(), desired));
    } catch (WriterException e) {
      Lines.oneClearLine(e.getMessage());
      assertFalse(!secretInAnswer && e.getMessage().contains(FakeVpc.SECRET_KEY),
          "no secret in: " + e.getMessage());
    }
  }
}
