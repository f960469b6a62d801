package io.feishuipsync.config;

import static io.feishuipsync.core.Addresses.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.RemovalSettings;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.source.feishu.FeishuSettings;
import io.feishuipsync.source.feishu.FeishuSourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code also_allow}, {@code removal}, {@code sources} and {@code feishu:} as a list of apps. */
class ListSectionsTest {

  @TempDir
  Path dir;

  static final String APP = """
      feishu:
        app_id: cli_a1b2c3
        app_secret: ${FEISHU_APP_SECRET}
      state_dir: /tmp/feishu-ipsync-test
      """;

  Config parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, env::get).parse(yaml, dir.resolve("config.yaml"));
  }

  Config parse(String yaml) {
    return parse(yaml, Map.of("FEISHU_APP_SECRET", "s3cr3t-value"));
  }

  String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void withoutTheNewKeysNothingChanges() {
    Config c = parse(APP + "writers:\n  - type: dryrun\n");
    assertEquals(1, c.lists().senders().size());
    assertEquals("feishu", c.lists().senders().get(0).name());
    assertEquals(ips(), c.lists().alsoAllow());
    assertEquals(RemovalSettings.IMMEDIATE, c.lists().removal());
    assertEquals(Duration.ofHours(48), c.lists().maxAge());
    assertEquals(ips(), c.writers().get(0).alsoAllow());
  }

  @Test
  void ownEntriesMayBePrivateButNeverEverything() {
    Config c = parse(APP + """
        also_allow: [10.20.0.0/16, 192.168.1.7, "fd00::/64"]
        writers:
          - type: dryrun
            also_allow: [172.16.5.0/24]
        """);
    assertEquals(ips("10.20.0.0/16", "192.168.1.7", "fd00::/64"), c.lists().alsoAllow());
    assertEquals(ips("172.16.5.0/24"), c.writers().get(0).alsoAllow());

    String all = error(APP + "also_allow: [10.0.0.1, 0.0.0.0/0]\nwriters:\n  - type: dryrun\n");
    assertTrue(all.startsWith("also_allow[1]: '0.0.0.0/0' would let every address in"), all);
    String all6 = error(APP + "writers:\n  - type: dryrun\n    also_allow: ['::/0']\n");
    assertTrue(all6.startsWith("writers[0].also_allow[0]: '::/0' would let every address in"), all6);
    String broad = error(APP + "also_allow: [0.0.0.0/1]\nwriters:\n  - type: dryrun\n");
    assertTrue(broad.startsWith("also_allow[0]: '0.0.0.0/1' is broader than /8"), broad);
    String bad = error(APP + "also_allow: [health-check]\nwriters:\n  - type: dryrun\n");
    assertTrue(bad.startsWith("also_allow[0]: 'health-check' is not an address or CIDR"), bad);
    String notList = error(APP + "writers:\n  - type: dryrun\n    also_allow: 10.0.0.1\n");
    assertTrue(notList.startsWith("writers[0].also_allow"), notList);
  }

  @Test
  void ownEntriesThatLetTheWholeIpv4SpaceInThroughMappingOrTranslationAreRefused() {
    for (String whole : new String[] {"::ffff:0:0/96", "::ffff:0.0.0.0/96", "64:ff9b::/96", "64:ff9b:1::/48",
        "2002::/16", "::/16", "::ffff:0:0/100"}) {
      String e = error(APP + "also_allow: [\"" + whole + "\"]\nwriters:\n  - type: dryrun\n");
      assertTrue(e.startsWith("also_allow[0]: '" + whole + "' lets in an IPv4 /"), e);
      assertTrue(e.contains("through such a range an own entry may admit at most a /8 of IPv4"), e);
    }
    // 10.0.0.0/8 through NAT64, and a mapped host: no broader than the IPv4 limit.
    Config c = parse(APP + "also_allow: [\"64:ff9b::a00:0/104\", \"::ffff:10.1.2.3\", \"2001:db8::/32\"]\n"
        + "writers:\n  - type: dryrun\n");
    assertEquals(3, c.lists().alsoAllow().size());
  }

  @Test
  void removalGraceIsRead() {
    Config c = parse(APP + "removal:\n  confirmations: 3\n  grace: 2h\nwriters:\n  - type: dryrun\n");
    assertEquals(new RemovalSettings(3, Duration.ofHours(2)), c.lists().removal());
    assertTrue(error(APP + "removal:\n  confirmations: 0\nwriters:\n  - type: dryrun\n")
        .startsWith("removal.confirmations: 0 is outside 1..1000"));
    assertTrue(error(APP + "removal:\n  grace: soon\nwriters:\n  - type: dryrun\n").startsWith("removal.grace:"));
    assertTrue(error(APP + "sources:\n  max_age: 0s\nwriters:\n  - type: dryrun\n").startsWith("sources.max_age:"));
  }

  @Test
  void severalAppsEachWithItsNameAndSecret() throws Exception {
    Path creds = Files.createDirectory(dir.resolve("creds"));
    Path lark = Files.writeString(creds.resolve("app_secret_lark"), "lark-secret\n");
    Files.setPosixFilePermissions(lark, PosixFilePermissions.fromString("rw-------"));
    Config c = parse("""
        feishu:
          - name: feishu
            app_id: cli_cn
            app_secret: ${FEISHU_APP_SECRET}
          - name: lark
            base_url: lark
            app_id: cli_intl
        sources:
          max_age: 12h
        state_dir: /tmp/feishu-ipsync-test
        writers:
          - type: dryrun
        """, Map.of("FEISHU_APP_SECRET", "cn-secret", "CREDENTIALS_DIRECTORY", creds.toString()));
    assertEquals(2, c.lists().senders().size());
    SenderSpec second = c.lists().senders().get(1);
    assertEquals("lark", second.name());
    FeishuSettings larkSettings = FeishuSourceType.settings((FeishuSourceType.Settings) second.settings(),
        second.context(Clock.systemUTC(), Sleeper.SYSTEM));
    assertEquals(FeishuSettings.LARK, larkSettings.baseUrl());
    assertEquals("lark-secret", larkSettings.appSecret().reveal());
    assertEquals("cn-secret", c.feishu().appSecret().reveal(), "the first app is the one feishu() names");
    assertEquals(Duration.ofHours(12), c.lists().maxAge());
  }

  @Test
  void aListOfAppsNamesEachProblemByItsPlace() {
    String noName = error("feishu:\n  - app_id: cli_x\n    app_secret: x\nwriters:\n  - type: dryrun\n");
    assertTrue(noName.startsWith("feishu[0].name: missing"), noName);
    String twice = error("feishu:\n  - {name: lark, app_id: a, app_secret: x}\n  - {name: lark, app_id: b,"
        + " app_secret: y}\nwriters:\n  - type: dryrun\n");
    assertTrue(twice.startsWith("feishu[1].name: 'lark' names a second sender"), twice);
    String secret = error("feishu:\n  - {name: feishu, app_id: a, app_secret: x}\n  - {name: lark, app_id: b}\n"
        + "writers:\n  - type: dryrun\n");
    assertTrue(secret.startsWith("feishu[1].app_secret: missing;") && secret.contains("app_secret_lark"), secret);
    String config = error("feishu:\n  - {name: config, app_id: a, app_secret: x}\nwriters:\n  - type: dryrun\n");
    assertTrue(config.startsWith("feishu[0].name: 'config' is not a sender name"), config);
    String url = error("feishu:\n  - {name: a, app_id: a, app_secret: x, base_url: 'ftp://x'}\n"
        + "writers:\n  - type: dryrun\n");
    assertTrue(url.startsWith("feishu[0].base_url:"), url);
  }
}
