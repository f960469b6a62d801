package io.feishuipsync.writer.tencent;

import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings of {@code type: tencentcloud-security-group}: each bad key named in one line, secrets from files. */
class TencentSettingsTest {

  static final String BASE = "region: ap-guangzhou\n";

  @TempDir
  Path dir;

  static String refusal(String yaml) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> WriterFixtures.writer("tencentcloud-security-group", BASE + yaml, null));
    return e.getMessage();
  }

  static Writer build(String yaml, Map<String, String> env) throws Exception {
    return TencentWriterType.create(ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(yaml),
        TencentWriterType.Settings.class), TencentTests.context(env), d -> {});
  }

  @Test
  void theTypeIsRegisteredAndNamesItsGroups() throws Exception {
    Writer w = WriterFixtures.writer("tencentcloud-security-group",
        BASE + "group_ids: [sg-0abc1234, sg-0def5678]\nports: [443]\n", null);
    assertEquals("tencentcloud-security-group:sg-0abc1234,sg-0def5678", w.name());
    Writer t = WriterFixtures.writer("tencentcloud-security-group",
        BASE + "mode: address_template\ntemplate_id: ipm-0abc1234\n", null);
    assertEquals("tencentcloud-address-template:ipm-0abc1234", t.name());
  }

  @Test
  void badSettingsAreRefusedNamingTheKey() {
    assertTrue(refusal("group_ids: [sg-0abc1234]\n").contains("ports"));
    assertTrue(refusal("ports: [443]\n").contains("group_ids"));
    assertTrue(refusal("group_ids: [i-0abc1234]\nports: [443]\n").contains("group_ids[0]"));
    assertTrue(refusal("group_ids: [sg-0abc1234]\nports: [443]\nmode: prefix\n").contains("mode"));
    assertTrue(refusal("mode: address_template\n").contains("template_id"));
    assertTrue(refusal("mode: address_template\ntemplate_id: ipm-0abc1234\ngroup_ids: [sg-0abc1234]\n")
        .contains("not used in mode address_template"));
    assertTrue(refusal("group_ids: [sg-0abc1234]\nports: [443]\nmax_rules: 0\n").contains("max_rules"));
    assertTrue(refusal("group_ids: [sg-0abc1234]\nports: [443]\nsecret_id: AKIDabcdefgh1234\n")
        .contains("secret_id"));
    assertTrue(refusal("group_ids: [sg-0abc1234]\nports: [443]\nendpoint: vpc.tencentcloudapi.com\n")
        .contains("endpoint"));
    assertTrue(refusal("group_ids: [sg-0abc1234]\nports: [443]\ndescription: \"a\\nb\"\n").contains("description"));
  }

  @Test
  void theSettingsRecordNeverPrintsTheSecretKey() throws Exception {
    TencentWriterType.Settings s = ConfigLoader.mapper().treeToValue(ConfigLoader.mapper().readTree(
        BASE + "secret_id: AKIDabcdefgh1234\nsecret_key: hunter2-secret\n"), TencentWriterType.Settings.class);
    assertFalse(s.toString().contains("hunter2"), s.toString());
    assertTrue(s.toString().contains("secretId=AKIDabcdefgh1234"), s.toString());
  }

  @Test
  void aSecretKeyIsNeverInARefusal() {
    String msg = refusal("group_ids: [sg-0abc1234]\nports: [443]\nsecret_id: 'bad id!'\nsecret_key: hunter2-secret\n");
    assertTrue(msg.contains("secret_id"), msg);
    assertFalse(msg.contains("hunter2"), msg);
  }

  @Test
  void theSecretKeyMayComeFromAFileOrASystemdCredential() throws Exception {
    try (FakeVpc vpc = new FakeVpc()) {
      vpc.addGroup("sg-0abc1234");
      String base = "region: " + FakeVpc.REGION + "\nendpoint: " + vpc.endpoint() + "\nsecret_id: "
          + FakeVpc.SECRET_ID + "\ngroup_ids: [sg-0abc1234]\nports: [443]\n";
      Path file = Files.writeString(dir.resolve("key"), FakeVpc.SECRET_KEY + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      converge(build(base + "secret_key_file: " + file + "\n", Map.of()), first(1));
      Files.setPosixFilePermissions(Files.writeString(dir.resolve(TencentWriterType.CREDENTIAL), FakeVpc.SECRET_KEY),
          PosixFilePermissions.fromString("rw-------"));
      converge(build(base, Map.of("CREDENTIALS_DIRECTORY", dir.toString())), first(2));
      assertEquals(List.of("create sg-0abc1234 1", "create sg-0abc1234 1"), vpc.mutations);
      // Without a secret_id the credential is not ours to use (an unset ${VAR:-} leaves secret_key empty): the
      // default chain applies, and the writer builds.
      String chain = "region: " + FakeVpc.REGION + "\nsecret_key: ''\ngroup_ids: [sg-0abc1234]\nports: [443]\n";
      assertEquals("tencentcloud-security-group:sg-0abc1234",
          build(chain, Map.of("CREDENTIALS_DIRECTORY", dir.toString())).name());
      ConfigException e = assertThrows(ConfigException.class,
          () -> build(base + "secret_key_file: " + dir.resolve("absent") + "\n", Map.of()));
      assertTrue(e.getMessage().contains("secret_key_file") && e.getMessage().contains("does not exist"),
          e.getMessage());
    }
  }
}
