package io.feishuipsync.writer.tencent;


import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.Writer;
import io.feishuipsync.fuzz.WriterAnswers;
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
    WriterAnswers.readAndConverge(writer, answer, FakeVpc.SECRET_KEY);
  }
}
