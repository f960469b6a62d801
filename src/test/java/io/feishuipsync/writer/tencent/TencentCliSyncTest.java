package io.feishuipsync.writer.tencent;

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
 * {@code feishu-ipsync sync} end to end with a Tencent Cloud writer: the list from a fake Feishu, the secret key from
 * {@code ${ENV}} in the config file, the policies in {@link FakeVpc} through the real SDK.
 */
class TencentCliSyncTest {

  static final String GROUP = "sg-0abc1234";

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  final FakeVpc vpc = new FakeVpc();

  TencentCliSyncTest() throws Exception {
    vpc.addGroup(GROUP);
    vpc.addPolicy(GROUP, "0.0.0.0/0", "22", "ssh from anywhere, the operator's");
  }

  @AfterEach
  void close() {
    vpc.close();
  }

  CliRunner.Result sync(Map<String, String> env) throws Exception {
    Path config = TestConfig.pointedAt(feishu, dir.resolve("state")).writer("type: tencentcloud-security-group\n"
        + "region: " + FakeVpc.REGION + "\nendpoint: " + vpc.endpoint() + "\nsecret_id: " + FakeVpc.SECRET_ID
        + "\nsecret_key: ${TENCENTCLOUD_TEST_KEY}\ngroup_ids: [" + GROUP + "]\nports: [443]")
        .writeTo(dir.resolve("config.yaml"));
    return CliRunner.run(env, List.of("--config", config.toString(), "sync"));
  }

  @Test
  void aSyncWritesTheListAndTheNextOneChangesOnlyWhatChanged() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(3));
    Map<String, String> env = Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET,
        "TENCENTCLOUD_TEST_KEY", FakeVpc.SECRET_KEY);
    CliRunner.Result first = sync(env);
    assertEquals(0, first.exit(), first.toString());
    assertEquals(4, vpc.ingress(GROUP).size());
    feishu.entries(FakeFeishu.docAddresses(4).subList(1, 4));
    CliRunner.Result second = sync(env);
    assertEquals(0, second.exit(), second.toString());
    assertEquals(List.of("create " + GROUP + " 3", "create " + GROUP + " 1", "delete " + GROUP + " 1"),
        vpc.mutations);
    assertEquals("ssh from anywhere, the operator's", vpc.ingress(GROUP).get(3).description());
    assertFalse((second.out() + second.err() + second.log()).contains(FakeVpc.SECRET_KEY));
  }

  @Test
  void aWrongKeyIsAWriterFailureThatNamesTheRefusalAndNotTheKey() throws Exception {
    feishu.entries(FakeFeishu.docAddresses(2));
    CliRunner.Result r = sync(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET,
        "TENCENTCLOUD_TEST_KEY", "wrong-secret-key-0123"));
    assertEquals(5, r.exit(), r.toString());
    String all = r.out() + r.err() + r.log();
    assertTrue(all.contains("AuthFailure.SignatureFailure"), all);
    assertFalse(all.contains("wrong-secret-key-0123"), all);
    assertEquals(List.of(), vpc.mutations);
  }
}
