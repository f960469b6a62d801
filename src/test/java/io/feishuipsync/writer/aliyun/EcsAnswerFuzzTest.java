package io.feishuipsync.writer.aliyun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.fuzz.Lines;
import io.feishuipsync.writer.PortRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
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
    // An error may quote the answer (sanitized); the fuzzer learns the secret's text and may put it there itself.
    boolean secretInAnswer = new String(answer, StandardCharsets.ISO_8859_1).contains(FakeEcs.ACCESS_KEY_SECRET);
    SortedSet<IpRange> desired = new TreeSet<>(List.of(IpRange.parse("198.51.100.7"),
        IpRange.parse("203.0.113.0/28")));
    try {
      Holding before = writer.read();
      before.entries().forEach(r -> assertTrue(r.equals(IpRange.parse(r.toString()))));
      before.drift().forEach(Lines::oneClearLine);
      writer.apply(desired, ChangeSet.between(before.entries(), desired));
    } catch (WriterException e) {
      Lines.oneClearLine(e.getMessage());
      assertFalse(!secretInAnswer && e.getMessage().contains(FakeEcs.ACCESS_KEY_SECRET),
          "no secret in: " + e.getMessage());
    }
  }
}
