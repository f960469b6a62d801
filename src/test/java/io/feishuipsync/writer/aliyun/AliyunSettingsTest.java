package io.feishuipsync.writer.aliyun;

import io.feishuipsync.writer.WriterContext;
import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of {@code aliyun-security-group}: each bad value is one message naming its key; secrets stay secret. */
class AliyunSettingsTest {

  static final String OK = "region: cn-hangzhou\ngroup_ids: [sg-bp1fakegroup0001]\nports: [443]\n";

  static String refusal(String yaml) {
    Exception e = assertThrows(Exception.class,
        () -> WriterFixtures.writer("aliyun-security-group", yaml, new ProcessCommandRunner()));
    Throwable c = e instanceof ConfigException ? e : e.getCause();
    assertTrue(c instanceof ConfigException, String.valueOf(e));
    return c.getMessage();
  }

  @Test
  void eachBadSettingIsNamed() {
    assertTrue(refusal(OK.replace("cn-hangzhou", "Hangzhou")).startsWith("region: "));
    assertTrue(refusal(OK.replace("sg-bp1fakegroup0001", "sg-1; rm")).startsWith("group_ids[0]: "));
    assertTrue(refusal(OK.replace("[sg-bp1fakegroup0001]", "[]")).startsWith("group_ids: missing"));
    assertTrue(refusal(OK.replace("[443]", "[70000]")).startsWith("ports[0]: "));
    assertTrue(refusal(OK + "protocol: icmp\n").startsWith("protocol: "));
    assertTrue(refusal(OK + "max_rules: 0\n").startsWith("max_rules: "));
    assertTrue(refusal(OK + "description: \"https://x\"\n").startsWith("description: "));
    assertTrue(refusal(OK + "endpoint: ftp://host\n").startsWith("endpoint: "));
    assertTrue(refusal(OK + "access_key_secret: abc\n").startsWith("access_key_id: missing"));
  }

  @Test
  void aPrefixListEntryDescriptionIsAtMost32Characters() throws Exception {
    String pl = "region: cn-hangzhou\nprefix_list_id: pl-bp1fakelist0001\n";
    Exception e = assertThrows(Exception.class, () -> WriterFixtures.writer("aliyun-prefix-list",
        pl + "description: " + "x".repeat(33) + "\n", new ProcessCommandRunner()));
    Throwable c = e instanceof ConfigException ? e : e.getCause();
    assertTrue(c.getMessage().startsWith("description: must be 2..32 plain characters"), c.getMessage());
    WriterFixtures.writer("aliyun-prefix-list", pl + "description: " + "x".repeat(32) + "\n",
        new ProcessCommandRunner());
  }

  @Test
  void anAccessKeyWithoutItsSecretNamesWhereTheSecretMayComeFrom() {
    String m = refusal(OK + "access_key_id: LTAI5tFakeKeyId0001\n");
    assertEquals("access_key_secret: missing; set access_key_secret (e.g. ${ALIYUN_ACCESS_KEY_SECRET}),"
        + " access_key_secret_file, or a systemd credential named aliyun_access_key_secret", m);
  }

  @Test
  void theDefaultChainNeedsNoKeysInTheConfig() throws Exception {
    Writer w = WriterFixtures.writer("aliyun-security-group", OK, new ProcessCommandRunner());
    assertEquals("aliyun-security-group:sg-bp1fakegroup0001", w.name());
  }

  @Test
  void theSecretMayComeFromAFileOrASystemdCredential(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, FakeEcs.ACCESS_KEY_SECRET + "\n");
    try (FakeEcs ecs = new FakeEcs()) {
      ecs.addGroup("sg-bp1fakegroup0001", 200);
      Writer w = WriterFixtures.writer("aliyun-security-group", OK + "endpoint: " + ecs.endpoint()
          + "\naccess_key_id: " + FakeEcs.ACCESS_KEY_ID + "\naccess_key_secret_file: " + file + "\n",
          new ProcessCommandRunner());
      converge(w, first(2));
      assertEquals(2, ecs.rules("sg-bp1fakegroup0001").size());
      assertEquals(java.util.List.of(), ecs.rejected);
    }
    Files.writeString(dir.resolve(AliyunConnection.CREDENTIAL), "from-systemd");
    AliyunConnection c = AliyunConnection.of("cn-hangzhou", null, "LTAI5tFakeKeyId0001", null, null,
        new WriterContext(null, dir, java.util.TreeSet::new, false, dir));
    assertEquals("from-systemd", c.accessKeySecret().reveal());
    assertFalse(c.toString().contains("from-systemd"));
    assertFalse(String.valueOf(c.accessKeySecret()).contains("from-systemd"));
  }
}
