package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EnforceSettings;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  static final String MINIMAL = """
      feishu:
        app_id: cli_a1b2c3
        app_secret: ${FEISHU_APP_SECRET}
      state_dir: /tmp/feishu-ipsync-test
      writers:
        - type: dryrun
      """;

  ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, env::get);
  }

  Config parse(String yaml) {
    return loader(Map.of("FEISHU_APP_SECRET", "s3cr3t-value")).parse(yaml, dir.resolve("config.yaml"));
  }

  ConfigException error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml));
  }

  @Test
  void minimalConfigGetsSafeDefaults() {
    Config c = parse(MINIMAL);
    assertEquals("https://open.feishu.cn", c.feishu().baseUrl().toString());
    assertEquals("s3cr3t-value", c.feishu().appSecret().reveal());
    assertEquals(50, c.feishu().pageSize());
    assertEquals(Duration.ofHours(6), c.schedule().interval());
    assertTrue(c.schedule().runOnStart());
    assertEquals(1, c.guard().minEntries());
    assertEquals(0.5, c.guard().maxRemovalRatio());
    assertEquals("text", c.logging().format());
    assertEquals(1, c.writers().size());
  }

  @Test
  void exampleConfigInTheRepositoryIsValid() {
    Path example = Path.of("config/feishu-ipsync.yaml");
    Config c = loader(Map.of("FEISHU_APP_ID", "cli_example", "FEISHU_APP_SECRET", "x")).load(example);
    assertFalse(c.writers().isEmpty());
  }

  @Test
  void fullConfigIsRead() {
    Config c = parse("""
        feishu:
          base_url: lark
          app_id: cli_x
          app_secret: abc
          page_size: 20
          response_timeout: 5s
        schedule:
          cron: "0 0 */6 * * ?"
          run_on_start: false
        guard:
          min_entries: 3
          max_removal_ratio: 0.25
        logging:
          format: json
          level: DEBUG
        writers:
          - type: file
            path: /etc/nginx/feishu-allow.conf
            format: nginx
            on_change: ["nginx", "-s", "reload"]
        """);
    assertEquals("https://open.larksuite.com", c.feishu().baseUrl().toString());
    assertEquals(20, c.feishu().pageSize());
    assertEquals(Duration.ofSeconds(5), c.feishu().responseTimeout());
    assertEquals("0 0 */6 * * ?", c.schedule().cron());
    assertNull(c.schedule().interval());
    assertFalse(c.schedule().runOnStart());
    assertEquals(3, c.guard().minEntries());
    assertEquals("json", c.logging().format());
    assertEquals("debug", c.logging().level());
  }

  @Test
  void validationAndAddressGuardsDefaultToPublicOnly() {
    Config c = parse(MINIMAL);
    assertEquals(EntryPolicy.FEISHU_DEFAULTS, c.validation());
    assertEquals(65_536, c.guard().maxAddedV4Addresses());
    assertEquals(65_536, c.guard().maxAddedV6Networks());
  }

  @Test
  void validationAndAddressGuardsAreRead() {
    Config c = parse(MINIMAL + """
        validation:
          min_prefix_v4: 24
          min_prefix_v6: 48
          allow_special: [192.0.2.0/24, "2001:db8::/32"]
        guard:
          max_added_v4_addresses: 1024
          max_added_v6_networks: 16
        """);
    assertEquals(new EntryPolicy(24, 48, true, List.of(IpRange.parse("192.0.2.0/24"),
        IpRange.parse("2001:db8::/32")), "validation"), c.validation());
    assertEquals(1024, c.guard().maxAddedV4Addresses());
    assertEquals(16, c.guard().maxAddedV6Networks());
  }

  @Test
  void badValidationValuesAreNamed() {
    assertEquals("validation.min_prefix_v4", error(MINIMAL + "validation:\n  min_prefix_v4: 33\n").key());
    assertEquals("validation.min_prefix_v6", error(MINIMAL + "validation:\n  min_prefix_v6: 0\n").key());
    ConfigException e = error(MINIMAL + "validation:\n  allow_special: [192.0.2.0/24, 10.0.0.1/8]\n");
    assertEquals("validation.allow_special[1]", e.key());
    assertTrue(e.getMessage().contains("host bits"), e.getMessage());
    assertEquals("validation.allow_special[0]", error(MINIMAL + "validation:\n  allow_special: [0.0.0.0/0]\n").key());
    assertEquals("guard.max_added_v4_addresses", error(MINIMAL + "guard:\n  max_added_v4_addresses: 0\n").key());
    assertEquals("guard.max_added_v6_networks", error(MINIMAL + "guard:\n  max_added_v6_networks: -1\n").key());
    assertEquals("validation.allow_specials", error(MINIMAL + "validation:\n  allow_specials: []\n").key());
  }

  @Test
  void enforcementDefaultsToEvery30sClosedBeforeAFirstListAndIsChecked() {
    assertEquals(new EnforceSettings(Duration.ofSeconds(30), true), parse(MINIMAL).enforce());
    assertEquals(new EnforceSettings(Duration.ofSeconds(5), false),
        parse(MINIMAL + "enforce:\n  interval: 5s\n  before_first_list: open\n").enforce());
    assertEquals("enforce.interval", error(MINIMAL + "enforce:\n  interval: 500ms\n").key());
    assertEquals("enforce.interval", error(MINIMAL + "enforce:\n  interval: 2h\n").key());
    assertEquals("enforce.interval", error(MINIMAL + "enforce:\n  interval: 0s\n").key());
    ConfigException e = error(MINIMAL + "enforce:\n  before_first_list: ajar\n");
    assertEquals("enforce.before_first_list", e.key());
    assertTrue(e.getMessage().contains("not one of: closed, open"), e.getMessage());
    assertEquals("enforce.intervall", error(MINIMAL + "enforce:\n  intervall: 5s\n").key());
  }

  @Test
  void twoWritersOnTheSameSharedTargetWithTheSameMarkerAreRefused() {
    String head = MINIMAL.substring(0, MINIMAL.indexOf("writers:")) + "writers:\n";
    String aws = "    region: eu-west-1\n    access_key_id: AKIAZZZZZZZZZZZZZZZZ\n    secret_access_key: x\n";
    ConfigException sg = error(head + "  - type: aws-security-group\n    group_ids: [sg-11111111]\n    ports: [443]\n" + aws
        + "  - type: aws-security-group\n    group_ids: [sg-22222222, sg-11111111]\n    ports: [8443]\n" + aws);
    assertEquals("writers[1]", sg.key());
    assertTrue(sg.getMessage().contains("writes aws security group sg-11111111 (rules marked 'feishu-ipsync'), as writers[0]"
        + " does; the two would undo each other's changes on every run"), sg.getMessage());
    // Another marker is another set of rules in the same group.
    parse(head + "  - type: aws-security-group\n    group_ids: [sg-11111111]\n    ports: [443]\n" + aws
        + "  - type: aws-security-group\n    group_ids: [sg-22222222, sg-11111111]\n    ports: [8443]\n"
        + "    description: callbacks-b\n" + aws);
    assertEquals("writers[1]", error(head + "  - type: aws-prefix-list\n    prefix_list_id: pl-11111111\n" + aws
        + "  - type: aws-prefix-list\n    prefix_list_id: pl-11111111\n    description: other\n" + aws).key());
    ConfigException chain = error(head + "  - type: iptables\n    ports: [443]\n"
        + "  - type: iptables\n    ports: [443]\n    jump_from: FORWARD\n");
    assertTrue(chain.getMessage().contains("writes ipset feishu-ipsync, as writers[0] does"),
        chain.getMessage());
  }

  @Test
  void unknownKeyIsNamed() {
    ConfigException e = error(MINIMAL.replace("app_id:", "app_idd: x\n  app_id:"));
    assertEquals("feishu.app_idd", e.key());
    assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
  }

  @Test
  void unknownTopLevelAndWriterKeysAreNamed() {
    assertEquals("guards", error(MINIMAL + "guards:\n  min_entries: 1\n").key());
    assertEquals("writers[1].colour", error(MINIMAL + "  - type: file\n    path: /tmp/x\n    colour: red\n").key());
  }

  @Test
  void outOfRangeValuesAreNamed() {
    assertEquals("feishu.page_size", error(MINIMAL.replace("app_id: cli_a1b2c3", "app_id: cli_a1b2c3\n  page_size: 51")).key());
    assertEquals("feishu.page_size", error(MINIMAL.replace("app_id: cli_a1b2c3", "app_id: cli_a1b2c3\n  page_size: 9")).key());
    assertEquals("guard.max_removal_ratio", error(MINIMAL + "guard:\n  max_removal_ratio: 1.5\n").key());
    assertEquals("guard.min_entries", error(MINIMAL + "guard:\n  min_entries: 0\n").key());
    assertEquals("schedule.interval", error(MINIMAL + "schedule:\n  interval: 6 hours\n").key());
    assertEquals("schedule.interval", error(MINIMAL + "schedule:\n  interval: 10s\n").key());
    assertEquals("schedule.cron", error(MINIMAL + "schedule:\n  cron: every day\n").key());
    assertEquals("logging.format", error(MINIMAL + "logging:\n  format: xml\n").key());
    assertEquals("state_dir", error(MINIMAL.replace("/tmp/feishu-ipsync-test", "relative/dir")).key());
    assertEquals("feishu.base_url", error(MINIMAL.replace("app_id: cli_a1b2c3",
        "app_id: cli_a1b2c3\n  base_url: ftp://x")).key());
  }

  @Test
  void wrongTypeIsNamed() {
    ConfigException e = error(MINIMAL.replace("app_id: cli_a1b2c3", "app_id: cli_a1b2c3\n  page_size: [1]"));
    assertEquals("feishu.page_size", e.key());
  }

  @Test
  void writerTypeMustBeKnown() {
    ConfigException e = error(MINIMAL.replace("type: dryrun", "type: pf"));
    assertEquals("writers[0].type", e.key());
    assertTrue(e.getMessage().contains(" dryrun,") && e.getMessage().contains(" file,"), e.getMessage());
  }

  @Test
  void writerSettingsAreValidated() {
    assertEquals("writers[0].path", error(MINIMAL.replace("type: dryrun", "type: file\n    path: rel/x")).key());
    assertEquals("writers[0].format", error(MINIMAL.replace("type: dryrun",
        "type: file\n    path: /tmp/x\n    format: apache")).key());
    assertEquals("writers[0].mode", error(MINIMAL.replace("type: dryrun",
        "type: file\n    path: /tmp/x\n    mode: \"0666\"")).key());
    assertEquals("writers", error(MINIMAL.replace("  - type: dryrun\n", "")).key());
  }

  @Test
  void twoWritersOnOneTargetAreRefused() {
    ConfigException e = error(MINIMAL + "  - type: file\n    path: /tmp/x\n  - type: file\n    path: /tmp/x\n");
    assertEquals("writers[2]", e.key());
  }

  @Test
  void missingEnvironmentVariableIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).parse(MINIMAL, dir));
    assertEquals("feishu.app_secret", e.key());
    assertTrue(e.getMessage().contains("FEISHU_APP_SECRET"), e.getMessage());
  }

  @Test
  void environmentDefaultIsUsed() {
    Config c = loader(Map.of()).parse(MINIMAL.replace("${FEISHU_APP_SECRET}", "${FEISHU_APP_SECRET:-fallback}"), dir);
    assertEquals("fallback", c.feishu().appSecret().reveal());
  }

  @Test
  void secretFromFile() throws IOException {
    Path f = dir.resolve("secret");
    Files.writeString(f, "from-file\n");
    Config c = parse(MINIMAL.replace("app_secret: ${FEISHU_APP_SECRET}", "app_secret_file: " + f));
    assertEquals("from-file", c.feishu().appSecret().reveal());
  }

  @Test
  void secretFromSystemdCredential() throws IOException {
    Files.writeString(dir.resolve("app_secret"), "from-credential");
    Config c = loader(Map.of("CREDENTIALS_DIRECTORY", dir.toString()))
        .parse(MINIMAL.replace("  app_secret: ${FEISHU_APP_SECRET}\n", ""), dir);
    assertEquals("from-credential", c.feishu().appSecret().reveal());
  }

  @Test
  void emptySecretFromAnUnsetVariableFallsBackToTheCredential() throws IOException {
    Files.writeString(dir.resolve("app_secret"), "from-credential");
    Config c = loader(Map.of("CREDENTIALS_DIRECTORY", dir.toString()))
        .parse(MINIMAL.replace("${FEISHU_APP_SECRET}", "${FEISHU_APP_SECRET:-}"), dir);
    assertEquals("from-credential", c.feishu().appSecret().reveal());
  }

  @Test
  void missingSecretSaysWhereToPutIt() {
    ConfigException e = error(MINIMAL.replace("  app_secret: ${FEISHU_APP_SECRET}\n", ""));
    assertEquals("feishu.app_secret", e.key());
    assertTrue(e.getMessage().contains("app_secret_file"), e.getMessage());
  }

  @Test
  void bothSecretSourcesAreRefused() {
    assertEquals("feishu.app_secret", error(MINIMAL.replace("app_secret: ${FEISHU_APP_SECRET}",
        "app_secret: x\n  app_secret_file: /tmp/y")).key());
  }

  @Test
  void secretNeverAppearsInErrors() {
    ConfigException e = error(MINIMAL.replace("app_id: cli_a1b2c3", "app_id: cli_a1b2c3\n  page_size: 99"));
    assertFalse(e.getMessage().contains("s3cr3t-value"));
    assertEquals("******", parse(MINIMAL).feishu().appSecret().toString());
    assertFalse(parse(MINIMAL).feishu().toString().contains("s3cr3t-value"));
  }

  @Test
  void fileErrorsNameTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(dir.resolve("nope.yaml")));
    assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void brokenYamlSaysWhere() throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "feishu:\n  app_id: [unclosed\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  /** Found by fuzzing (ConfigFuzzTest): the YAML parser's message quoted the broken line, a secret with it. */
  @Test
  void brokenYamlIsOneLineThatNeverQuotesTheFile() throws IOException {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "feishu:\n  app_id: cli_a1b2c3\n  app_secret: \"pl41n-s3cret-value\n  x: ]\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader(Map.of()).load(f));
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    assertFalse(e.getMessage().contains("pl41n-s3cret-value"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    ConfigException key = error(MINIMAL + "\u202eevil\u0007: 1\n");
    assertFalse(key.getMessage().chars().anyMatch(c -> c == 0x202e || c == 7), key.getMessage());
  }

  @Test
  void metricsAndNotificationsAreRead() throws IOException {
    Path secret = dir.resolve("hook-secret");
    Files.writeString(secret, "hook-s3cret\n");
    Config c = parse(MINIMAL + """
        metrics:
          listen: 127.0.0.1:9464
          textfile: /var/lib/prometheus/node-exporter/feishu-ipsync.prom
        notify:
          feishu_bot:
            url: https://open.feishu.cn/open-apis/bot/v2/hook/abc
            secret: bot-secret
          webhook:
            url: https://alerts.example.com/hook
            secret_file: %s
          failures_before_alert: 2
          min_interval: 1h
        """.formatted(secret));
    assertEquals(9464, c.metrics().listen().getPort());
    assertEquals("hook-s3cret", c.notifications().webhook().secret().reveal());
    assertEquals("bot-secret", c.notifications().feishuBot().secret().reveal());
    assertEquals(2, c.notifications().failuresBeforeAlert());
    assertEquals(Duration.ofHours(1), c.notifications().minInterval());
    assertFalse(c.notifications().feishuBot().toString().contains("abc"), "the URL token is not printed");
  }

  @Test
  void badMetricsAndNotifyKeysAreNamed() {
    assertEquals("metrics.listen", error(MINIMAL + "metrics:\n  listen: everywhere\n").key());
    assertEquals("metrics.textfile", error(MINIMAL + "metrics:\n  textfile: /tmp/x.txt\n").key());
    assertEquals("notify.webhook.url", error(MINIMAL + "notify:\n  webhook:\n    secret: x\n").key());
    ConfigException e = error(MINIMAL + "notify:\n  webhook:\n    url: 'ftp://h/token-xyz'\n");
    assertEquals("notify.webhook.url", e.key());
    assertFalse(e.getMessage().contains("token-xyz"), e.getMessage());
    assertEquals("notify.failures_before_alert", error(MINIMAL + "notify:\n  failures_before_alert: 0\n").key());
  }
}
