package io.feishuipsync.writer.volcengine;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Writer;
import io.feishuipsync.fuzz.WriterAnswers;
import io.feishuipsync.writer.PortRange;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Volcano Engine's answers, fuzzed: the writers' own client reads, over loopback HTTP, what the stateful stand-in
 * answers, and one answer of the fuzzer's choice is the fuzzer's bytes. The read and converge end normally or in one
 * clean line without the secret access key; nothing else escapes.
 */
class VolcAnswerFuzzTest {

  static final String GROUP = "sg-2fepz6ouu7ke859gp6fuzz";
  static final String ACL = "acl-3cj44nv0jhhxc6c6rrtefuzz";
  static final String[] ACTIONS = {"DescribeSecurityGroupAttributes", "AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress", "DescribeAclAttributes", "AddAclEntries", "RemoveAclEntries"};
  static final int[] STATUSES = {200, 200, 200, 400, 401, 403, 404, 429, 500};
  static FakeVolc volc;
  static Writer groups;
  static Writer acl;

  @BeforeAll
  static void start() throws Exception {
    volc = new FakeVolc();
    volc.addGroup(GROUP, 200);
    volc.addAcl(ACL, 300);
    groups = new VolcSecurityGroupWriter(new VolcSecurityGroupWriter.Target(FakeVolc.REGION, List.of(GROUP),
        List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 200), api("vpc"), d -> { });
    acl = new VolcClbAclWriter(FakeVolc.REGION, ACL, "feishu-ipsync", 300, api("clb"), d -> { });
  }

  private static Lazy<VolcApi, RuntimeException> api(String service) {
    return new Lazy<>(() -> new VolcApi(URI.create(volc.endpoint()), FakeVolc.REGION, service, "2020-04-01",
        FakeVolc.AK, Secret.of(FakeVolc.SK), Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    volc.close();
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsReadOrOneClearError(FuzzedDataProvider data) {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    volc.forgetAnswers();
    int pick = data.consumeInt(0, ACTIONS.length - 1);
    int status = data.pickValue(STATUSES);
    byte[] answer = data.consumeRemainingAsBytes();
    volc.answerNextWith(ACTIONS[pick], status, answer);
    WriterAnswers.readAndConverge(pick < 3 ? groups : acl, answer, FakeVolc.SK);
  }
}
