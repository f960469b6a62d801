package io.feishuipsync.writer.aliyun;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of {@code aliyun-alb-acl} and {@code aliyun-clb-acl}: each bad value is one message naming its key. */
class AliyunAclSettingsTest {

  static final String OK = "region: cn-hangzhou\nacl_id: acl-bp1fakeacl000001\n";

  static String refusal(String type, String yaml) {
    Exception e = assertThrows(Exception.class, () -> WriterFixtures.writer(type, yaml, new ProcessCommandRunner()));
    Throwable c = e instanceof ConfigException ? e : e.getCause();
    assertTrue(c instanceof ConfigException, String.valueOf(e));
    return c.getMessage();
  }

  @Test
  void eachBadSettingIsNamedForBothTypes() {
    for (String type : new String[] {"aliyun-alb-acl", "aliyun-clb-acl"}) {
      assertTrue(refusal(type, "region: cn-hangzhou\n").startsWith("acl_id: missing"));
      assertTrue(refusal(type, OK.replace("acl-bp1fakeacl000001", "sg-bp1fakeacl000001")).startsWith("acl_id: "));
      assertTrue(refusal(type, OK.replace("acl-bp1fakeacl000001", "\"acl-1\\nx\"")).startsWith("acl_id: "));
      assertTrue(refusal(type, OK.replace("cn-hangzhou", "Hangzhou")).startsWith("region: "));
      assertTrue(refusal(type, OK + "max_entries: 0\n").startsWith("max_entries: "));
      assertTrue(refusal(type, OK + "description: \"has space\"\n").startsWith("description: "));
      assertTrue(refusal(type, OK + "description: \"http://x\"\n").startsWith("description: "));
      assertTrue(refusal(type, OK + "endpoint: ftp://host\n").startsWith("endpoint: "));
    }
  }

  @Test
  void namesAndTargetsSayWhichListAndMarker() throws Exception {
    Writer alb = WriterFixtures.writer("aliyun-alb-acl", OK, new ProcessCommandRunner());
    Writer clb = WriterFixtures.writer("aliyun-clb-acl", OK + "description: ipsync\n", new ProcessCommandRunner());
    assertEquals("aliyun-alb-acl:acl-bp1fakeacl000001", alb.name());
    assertEquals(java.util.Set.of("aliyun clb acl acl-bp1fakeacl000001 in cn-hangzhou marked ipsync"),
        clb.targets());
  }

  @Test
  void theSecretMayComeFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, AcsStandIn.ACCESS_KEY_SECRET + "\n");
    try (FakeSlb slb = new FakeSlb()) {
      slb.addAcl("acl-bp1fakeacl000001", "ipv4", 300);
      Writer w = WriterFixtures.writer("aliyun-clb-acl", OK + "endpoint: " + slb.endpoint()
          + "\naccess_key_id: " + AcsStandIn.ACCESS_KEY_ID + "\naccess_key_secret_file: " + file
          + "\nmax_entries: 100\n", new ProcessCommandRunner());
      converge(w, first(2));
      assertEquals(2, slb.entries("acl-bp1fakeacl000001").size());
      assertEquals(java.util.List.of(), slb.rejected);
    }
  }
}
