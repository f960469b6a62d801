package io.feishuipsync.writer.aliyun;


import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.Writer;
import io.feishuipsync.fuzz.WriterAnswers;
import io.feishuipsync.writer.PortRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Alibaba Cloud's ECS answers, fuzzed: the real SDK reads, over loopback HTTP, what the stateful fake answers, and
 * one answer of the fuzzer's choice (the group's rules, an authorisation, a revocation, a re-description) is the
 * fuzzer's bytes. Whatever they are, the writer's read and converge end normally or in a {@link WriterException} of
 * one clean line without the access key secret; nothing else escapes.
 */
class EcsAnswerFuzzTest {

  static final String GROUP = "sg-bp1fuzzgroup0001";
  static final String[] ACTIONS = {"DescribeSecurityGroupAttribute", "AuthorizeSecurityGroup", "RevokeSecurityGroup",
      "ModifySecurityGroupRule"};
  static final int[] STATUSES = {200, 200, 200, 400, 403, 500};
  static FakeEcs ecs;
  static Writer writer;

  @BeforeAll
  static void start() throws Exception {
    ecs = new FakeEcs();
    ecs.groups.put(GROUP, new ArrayList<>());
    ecs.quota.put(GROUP, 200);
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, ecs.endpoint(), FakeEcs.ACCESS_KEY_ID,
        FakeEcs.ACCESS_KEY_SECRET, null, AliyunSecurityGroupWriterTest.NO_CREDENTIALS);
    writer = new EcsSecurityGroupWriter(new EcsSecurityGroupWriter.Target(FakeEcs.REGION, List.of(GROUP),
        List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 200), c::client, d -> { }, 10);
  }

  @AfterAll
  static void stop() {
    ecs.close();
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsReadOrOneClearError(FuzzedDataProvider data) {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    ecs.forgetAnswers();
    String action = data.pickValue(ACTIONS);
    int status = data.pickValue(STATUSES);
    byte[] answer = data.consumeRemainingAsBytes();
    ecs.answerNextWith(action, status, answer);
    WriterAnswers.readAndConverge(writer, answer, FakeEcs.ACCESS_KEY_SECRET);
  }
}
