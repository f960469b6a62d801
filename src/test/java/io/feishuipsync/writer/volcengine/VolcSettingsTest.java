package io.feishuipsync.writer.volcengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import org.junit.jupiter.api.Test;

/** The settings of the Volcano Engine writers: each bad value is one message naming its key. */
class VolcSettingsTest {

  static final String GROUP = "region: cn-beijing\ngroup_ids: [sg-2fepz6ouu7ke859gp6fake]\nports: [443]\n";
  static final String ACL = "region: cn-beijing\nacl_id: acl-3cj44nv0jhhxc6c6rrtefake\n";

  static String refusal(String type, String yaml) {
    Exception e = assertThrows(Exception.class, () -> WriterFixtures.writer(type, yaml, new ProcessCommandRunner()));
    Throwable c = e instanceof ConfigException ? e : e.getCause();
    assertTrue(c instanceof ConfigException, String.valueOf(e));
    return c.getMessage();
  }

  @Test
  void eachBadSettingIsNamed() {
    String sg = "volcengine-security-group";
    assertTrue(refusal(sg, GROUP.replace("cn-beijing", "Beijing")).startsWith("region: "));
    assertTrue(refusal(sg, GROUP.replace("sg-2fepz6ouu7ke859gp6fake", "x")).startsWith("group_ids[0]: "));
    assertTrue(refusal(sg, GROUP + "max_rules: 0\n").startsWith("max_rules: "));
    assertTrue(refusal(sg, GROUP + "description: \"1abc\"\n").startsWith("description: "));
    assertTrue(refusal(sg, GROUP + "endpoint: ftp://x\n").startsWith("endpoint: "));
    assertTrue(refusal(sg, GROUP + "secret_access_key: x\n").startsWith("access_key_id: missing"));
    assertTrue(refusal(sg, GROUP + "access_key_id: AKLTFakeVolcKey000000001\n").startsWith("secret_access_key:"
        + " missing"));
    String acl = "volcengine-clb-acl";
    assertTrue(refusal(acl, "region: cn-beijing\n").startsWith("acl_id: missing"));
    assertTrue(refusal(acl, ACL + "max_entries: 0\n").startsWith("max_entries: "));
  }

  @Test
  void withoutAKeyTheEnvironmentIsAskedAtTheFirstCallAndItsAbsenceIsOneLine() throws Exception {
    Writer w = WriterFixtures.writer("volcengine-clb-acl", ACL + "endpoint: http://127.0.0.1:9\n",
        new ProcessCommandRunner());
    assertEquals("volcengine-clb-acl:acl-3cj44nv0jhhxc6c6rrtefake", w.name());
    if (System.getenv("VOLCENGINE_ACCESS_KEY") == null) {
      WriterException e = assertThrows(WriterException.class, w::check);
      assertTrue(e.getMessage().contains("no AccessKey: set access_key_id and secret_access_key, or the"
          + " environment's VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY"), e.getMessage());
    }
  }
}
