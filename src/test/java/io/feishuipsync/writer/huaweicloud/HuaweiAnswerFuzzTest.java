package io.feishuipsync.writer.huaweicloud;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Writer;
import io.feishuipsync.fuzz.WriterAnswers;
import io.feishuipsync.writer.PortRange;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Huawei Cloud's VPC answers, fuzzed: the real SDK (in its own class loader) reads, over loopback HTTP, what the
 * stateful stand-in answers, and one answer of the fuzzer's choice (the rules, a creation, a deletion, the address
 * group, its update) is the fuzzer's bytes. The writers' read and converge end normally or in one clean line
 * without the secret key; nothing else escapes.
 */
class HuaweiAnswerFuzzTest {

  static final String GROUP = "0552091e-b83a-49dd-88a7-4a5c86fd9ec3";
  static final String ADDRESS_GROUP = "9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f";
  static final String[] ACTIONS = {"List", "Create", "Delete", "ShowAddressGroup", "UpdateAddressGroup"};
  static final int[] STATUSES = {200, 200, 201, 204, 400, 401, 403, 404, 429, 500};
  static FakeHuaweiVpc vpc;
  static Writer groups;
  static Writer addressGroup;

  @BeforeAll
  static void start() throws Exception {
    vpc = new FakeHuaweiVpc();
    vpc.addGroup(GROUP, 200);
    vpc.addAddressGroup(ADDRESS_GROUP, 4, 20);
    HuaweiSecurityGroupWriter.Apis apis = () -> HuaweiWriterType.api(vpc.endpoint(), FakeHuaweiVpc.PROJECT,
        FakeHuaweiVpc.AK, Secret.of(FakeHuaweiVpc.SK));
    groups = new HuaweiSecurityGroupWriter(new HuaweiSecurityGroupWriter.Target("cn-north-4", List.of(GROUP),
        List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 200), apis, d -> { }, TreeSet::new);
    addressGroup = new HuaweiAddressGroupWriter("cn-north-4", ADDRESS_GROUP, apis, d -> { });
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
    WriterAnswers.readAndConverge(action.endsWith("AddressGroup") ? addressGroup : groups, answer,
        FakeHuaweiVpc.SK);
  }
}
