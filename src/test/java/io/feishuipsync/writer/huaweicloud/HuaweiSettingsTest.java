package io.feishuipsync.writer.huaweicloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import org.junit.jupiter.api.Test;

/** The settings of {@code huaweicloud-security-group}: each bad value is one message naming its key. */
class HuaweiSettingsTest {

  static final String OK = "region: cn-north-4\nproject_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\n"
      + "group_ids: [0552091e-b83a-49dd-88a7-4a5c86fd9ec3]\nports: [443]\n";

  static String refusal(String yaml) {
    Exception e = assertThrows(Exception.class,
        () -> WriterFixtures.writer("huaweicloud-security-group", yaml, new ProcessCommandRunner()));
    Throwable c = e instanceof ConfigException ? e : e.getCause();
    assertTrue(c instanceof ConfigException, String.valueOf(e));
    return c.getMessage();
  }

  @Test
  void eachBadSettingIsNamed() {
    assertTrue(refusal(OK.replace("cn-north-4", "Beijing4")).startsWith("region: "));
    assertTrue(refusal(OK.replace("project_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\n", "")).startsWith("project_id:"
        + " missing"));
    assertTrue(refusal(OK.replace("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "x")).startsWith("project_id: "));
    assertTrue(refusal(OK.replace("0552091e-b83a-49dd-88a7-4a5c86fd9ec3", "sg-1")).startsWith("group_ids[0]: "));
    assertTrue(refusal(OK.replace("[443]", "[0]")).startsWith("ports[0]: "));
    assertTrue(refusal(OK + "protocol: icmp\n").startsWith("protocol: "));
    assertTrue(refusal(OK + "max_rules: 0\n").startsWith("max_rules: "));
    assertTrue(refusal(OK + "description: \"<b>\"\n").startsWith("description: "));
    assertTrue(refusal(OK + "endpoint: ftp://host\n").startsWith("endpoint: "));
    assertTrue(refusal(OK + "endpoint: https://host/path\n").startsWith("endpoint: "));
    assertTrue(refusal(OK + "secret_key: abc\n").startsWith("access_key: missing"));
    assertTrue(refusal(OK + "access_key: lowercase\n").startsWith("access_key: "));
    assertEquals("secret_key: missing; set secret_key (e.g. ${HUAWEICLOUD_SDK_SK}), secret_key_file, or a systemd"
        + " credential named huaweicloud_secret_key", refusal(OK + "access_key: HPUAFAKEACCESSKEY0001\n"));
  }

  @Test
  void theModesTakeTheirOwnKeys() throws Exception {
    String ag = "region: cn-north-4\nproject_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\nmode: address_group\n";
    assertTrue(refusal(ag).startsWith("address_group_id: missing"));
    assertTrue(refusal(ag + "address_group_id: x\n").startsWith("address_group_id: "));
    assertTrue(refusal(ag + "address_group_id: 9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f\nports: [443]\n")
        .startsWith("mode: "));
    assertTrue(refusal(OK + "address_group_id: 9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f\n")
        .startsWith("address_group_id: belongs to mode address_group"));
    assertTrue(refusal(OK + "mode: prefix_list\n").startsWith("mode: "));
    Writer w = WriterFixtures.writer("huaweicloud-security-group",
        ag + "address_group_id: 9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f\n", new ProcessCommandRunner());
    assertEquals("huaweicloud-address-group:9ba14e42-2f5c-4b26-a7e9-5a1b0c3d4e5f", w.name());
  }

  @Test
  void theDefaultChainNeedsNoKeysAndNoBundleUntilTheFirstCall() throws Exception {
    Writer w = WriterFixtures.writer("huaweicloud-security-group", OK, new ProcessCommandRunner());
    assertEquals("huaweicloud-security-group:0552091e-b83a-49dd-88a7-4a5c86fd9ec3", w.name());
  }
}
