package io.feishuipsync.writer.aliyun;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.Writer;
import io.feishuipsync.fuzz.WriterAnswers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * ALB's and SLB's ACL answers, fuzzed: the real SDKs read, over loopback HTTP, what the stateful stand-ins answer,
 * and one answer of the fuzzer's choice (the ACL, its entries, its listeners, an addition, its job, a removal) is
 * the fuzzer's bytes. Whatever they are, the writers' read and converge end normally or in a WriterException of one
 * clean line without the access key secret; nothing else escapes.
 */
class AclAnswerFuzzTest {

  static final String ACL = "acl-bp1fuzzacl000001";
  static final String[] ALB_ACTIONS = {"ListAcls", "ListAclEntries", "AddEntriesToAcl", "RemoveEntriesFromAcl",
      "ListAsynJobs"};
  static final String[] SLB_ACTIONS = {"DescribeAccessControlListAttribute", "AddAccessControlListEntry",
      "RemoveAccessControlListEntry"};
  static final int[] STATUSES = {200, 200, 200, 400, 403, 500};
  static FakeAlb alb;
  static FakeSlb slb;
  static Writer albWriter;
  static Writer slbWriter;

  @BeforeAll
  static void start() throws Exception {
    alb = new FakeAlb();
    slb = new FakeSlb();
    alb.addAcl(ACL, "DualStack", 500);
    slb.addAcl(ACL, "ipv4", 300);
    albWriter = new AlbAclWriter(new AliyunAclWriterTypes.Target(FakeEcs.REGION, ACL, "feishu-ipsync", 500),
        connection(alb)::alb, d -> { });
    slbWriter = new ClbAclWriter(new AliyunAclWriterTypes.Target(FakeEcs.REGION, ACL, "feishu-ipsync", 300),
        connection(slb)::slb, d -> { });
  }

  private static AliyunConnection connection(AcsStandIn fake) {
    return AliyunConnection.of(FakeEcs.REGION, fake.endpoint(), AcsStandIn.ACCESS_KEY_ID,
        AcsStandIn.ACCESS_KEY_SECRET, null, AliyunPrefixListWriterTest.NO_CREDENTIALS);
  }

  @AfterAll
  static void stop() {
    alb.close();
    slb.close();
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsReadOrOneClearError(FuzzedDataProvider data) {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    alb.forgetAnswers();
    slb.forgetAnswers();
    boolean onAlb = data.consumeBoolean();
    String action = data.pickValue(onAlb ? ALB_ACTIONS : SLB_ACTIONS);
    int status = data.pickValue(STATUSES);
    byte[] answer = data.consumeRemainingAsBytes();
    (onAlb ? alb : slb).answerNextWith(action, status, answer);
    WriterAnswers.readAndConverge(onAlb ? albWriter : slbWriter, answer, AcsStandIn.ACCESS_KEY_SECRET);
  }
}
