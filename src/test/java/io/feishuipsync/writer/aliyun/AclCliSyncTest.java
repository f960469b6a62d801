package io.feishuipsync.writer.aliyun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code feishu-ipsync sync} and {@code teardown} end to end with a CLB ACL writer: the list from a fake Feishu, the
 * AccessKey secret from {@code ${ENV}} in the config file, the entries in {@link FakeSlb} through the real SDK, a
 * listener using the ACL as its whitelist.
 */
class AclCliSyncTest {

  static final String ACL = "acl-bp1fakeacl000001";

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  final FakeSlb slb = new FakeSlb();

  AclCliSyncTest() throws Exception {
    slb.addAcl(ACL, "ipv4", 300);
    slb.put(ACL, "192.0.2.77/32", "office");
    slb.whitelist(ACL, "lb-bp1fake0001:443");
  }

  @AfterEach
  void close() {
    assertFalse(slb.openedToAll, slb.mutations.toString());
    slb.close();
  }

  CliRunner.Result run(Map<String, String> env, String... command) throws Exception {
    Path config = TestConfig.pointedAt(feishu, dir.resolve("state")).writer("type: aliyun-clb-acl\n"
        + "region: " + FakeSlb.REGION + "\nendpoint: " + slb.endpoint() + "\naccess_key_id: "
        + AcsStandIn.ACCESS_KEY_ID + "\naccess_key_secret: ${ALIYUN_TEST_SECRET}\nacl_id: " + ACL)
        .writeTo(dir.resolve("config.yaml"));
    List<String> args = new java.util.ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(command));
    return CliRunner.run(env, args);
  }

  @Test
  void aSyncWritesTheListTheNextChangesOnlyWhatChangedAndTeardownKeepsTheOffice() throws Exception {
    Map<String, String> env = Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET,
        "ALIYUN_TEST_SECRET", AcsStandIn.ACCESS_KEY_SECRET);
    feishu.entries(FakeFeishu.docAddresses(3));
    CliRunner.Result first = run(env, "sync");
    assertEquals(0, first.exit(), first.toString());
    assertEquals(4, slb.entries(ACL).size());
    feishu.entries(FakeFeishu.docAddresses(4).subList(1, 4));
    slb.mutations.clear();
    CliRunner.Result second = run(env, "sync");
    assertEquals(0, second.exit(), second.toString());
    assertEquals(2, slb.mutations.size(), "one added, then one removed: " + slb.mutations);
    assertTrue(slb.mutations.get(0).startsWith("add ") && slb.mutations.get(1).startsWith("remove "));
    assertFalse((second.out() + second.err() + second.log()).contains(AcsStandIn.ACCESS_KEY_SECRET));
    CliRunner.Result down = run(env, "teardown", "--yes");
    assertEquals(0, down.exit(), down.toString());
    assertEquals(Map.of("192.0.2.77/32", "office"), slb.entries(ACL));
    assertEquals(List.of(), slb.rejected);
  }

  @Test
  void aWrongSecretIsAWriterFailureThatNamesTheRefusalAndNotTheSecret() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(2));
    CliRunner.Result r = run(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET,
        "ALIYUN_TEST_SECRET", "wrong-secret-0123456789abcdef"), "sync");
    assertEquals(5, r.exit(), r.toString());
    String all = r.out() + r.err() + r.log();
    assertTrue(all.contains("SignatureDoesNotMatch"), all);
    assertFalse(all.contains("wrong-secret-0123456789abcdef"), all);
    assertEquals(List.of(), slb.mutations);
  }
}
