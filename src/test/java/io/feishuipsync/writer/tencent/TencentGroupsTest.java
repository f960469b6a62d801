package io.feishuipsync.writer.tencent;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several groups kept alike, drift repaired, the SDK's default credential chain, and network text in errors. */
class TencentGroupsTest {

  static final String A = "sg-0aaa1111";
  static final String B = "sg-0bbb2222";

  final FakeVpc vpc = new FakeVpc();

  @TempDir
  Path home;

  TencentGroupsTest() throws Exception {
    vpc.addGroup(A);
    vpc.addGroup(B);
  }

  @AfterEach
  void close() {
    vpc.close();
    assertEquals(List.of(), vpc.violations);
  }

  Writer writer(String credentials) throws Exception {
    String yaml = "region: " + FakeVpc.REGION + "\nendpoint: " + vpc.endpoint() + "\n" + credentials
        + "group_ids: [" + A + ", " + B + "]\nports: [443]\n";
    return TencentWriterType.create(ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(yaml),
        TencentWriterType.Settings.class), TencentTests.NO_CREDENTIALS, d -> {});
  }

  static String keys() {
    return "secret_id: " + FakeVpc.SECRET_ID + "\nsecret_key: " + FakeVpc.SECRET_KEY + "\n";
  }

  @Test
  void aGroupThatLostAPolicyIsDriftAndTheNextRunRepairsIt() throws Exception {
    converge(writer(keys()), first(3));
    vpc.groups.get(B).ingress.remove(1);
    vpc.groups.get(B).version++;
    Holding h = writer(keys()).read();
    assertEquals(2, h.entries().size(), "only what every group holds counts as held");
    // The agreed set is what every group holds; the group holding more is the one that differs from it.
    assertEquals(List.of(A + " holds 3 policies of ours, not just the 2 the others agree on"), h.drift());
    converge(writer(keys()), first(3));
    assertTrue(writer(keys()).read().inSync(first(3)));
    assertEquals(3, vpc.ingress(A).size());
    assertEquals(3, vpc.ingress(B).size());
  }

  @Test
  void aMarkedPolicyThatIsNotAnAddressPolicyOfOursIsRemoved() throws Exception {
    converge(writer(keys()), first(1));
    vpc.groups.get(A).ingress.add(new FakeVpc.Policy("TCP", "443", "198.51.100.9/32", "", "DROP", "feishu-ipsync"));
    vpc.groups.get(A).version++;
    Holding h = writer(keys()).read();
    assertFalse(h.drift().isEmpty());
    converge(writer(keys()), first(1));
    assertEquals(1, vpc.ingress(A).size());
    assertEquals("ACCEPT", vpc.ingress(A).get(0).action());
  }

  @Test
  void withoutKeysTheSdksDefaultChainReadsTheProfileFile() throws Exception {
    Files.createDirectories(home.resolve(".tencentcloud"));
    Files.writeString(home.resolve(".tencentcloud/credentials"),
        "[default]\nsecret_id = " + FakeVpc.SECRET_ID + "\nsecret_key = " + FakeVpc.SECRET_KEY + "\n");
    String before = System.getProperty("user.home");
    System.setProperty("user.home", home.toString());
    try {
      converge(writer(""), first(2));
    } finally {
      System.setProperty("user.home", before);
    }
    assertEquals(List.of("create " + A + " 2", "create " + B + " 2"), vpc.mutations);
  }

  @Test
  void networkTextInAnErrorIsOneSanitizedLine() {
    TencentCloudSDKException e = new TencentCloudSDKException("bad\nthing \u001b[31mred\u202e", "req\nid",
        "InvalidParameter\u0007");
    String line = VpcCalls.describe("CreateSecurityGroupPolicies", e, VpcCalls.code(e));
    assertFalse(line.contains("\n") || line.contains("\u001b") || line.contains("\u202e") || line.contains("\u0007"),
        line);
    assertTrue(line.startsWith("CreateSecurityGroupPolicies failed: InvalidParameter"), line);
  }
}
