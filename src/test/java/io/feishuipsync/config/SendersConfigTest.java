package io.feishuipsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.source.wecom.WecomSourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code senders:}, each sender's {@code validation}, its secrets, and {@code writers[].senders}. */
class SendersConfigTest {

  @TempDir
  Path dir;

  static final String GITHUB = "senders:\n  - type: github\n    name: github\n";
  static final String WRITERS = "writers:\n  - type: dryrun\n";

  Config parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, env::get).parse(yaml, dir.resolve("config.yaml"));
  }

  Config parse(String yaml) {
    return parse(yaml, Map.of());
  }

  String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void sendersAloneNeedNoFeishuSection() {
    Config c = parse(GITHUB + WRITERS);
    assertEquals(1, c.lists().senders().size());
    assertEquals("github", c.lists().senders().get(0).name());
    assertEquals(null, c.feishu());
    assertTrue(error(WRITERS).startsWith("feishu: missing;"), "neither feishu nor senders");
  }

  @Test
  void eachSenderIsNamedTypedAndUniqueBesideTheFeishuApps() {
    assertTrue(error("senders:\n  - name: x\n" + WRITERS).startsWith("senders[0].type: missing; one of: feishu,"
        + " file, github, stripe, url, wechat, wecom"));
    assertTrue(error("senders:\n  - {type: gitlab, name: x}\n" + WRITERS).contains("'gitlab' is not one of"));
    assertTrue(error("senders:\n  - {type: github}\n" + WRITERS).startsWith("senders[0].name: missing"));
    String twice = error("feishu: {app_id: a, app_secret: x}\nsenders:\n  - {type: github, name: feishu}\n"
        + WRITERS);
    assertTrue(twice.startsWith("senders[0].name: 'feishu' names a second sender"), twice);
    assertTrue(error("senders:\n  - {type: github, name: github, tokn: x}\n" + WRITERS).contains("tokn"));
    assertTrue(error("senders:\n  - {type: github, name: github, base_url: 'ftp://x'}\n" + WRITERS)
        .startsWith("senders[0].base_url: 'ftp://x' is not a base URL"));
  }

  @Test
  void aSendersValidationOverridesTheTopLevelOneKeyByKeyAndTheTypeKnowsItsPrefixes() {
    Config c = parse(GITHUB + "    validation: {min_prefix_v4: 20}\n  - {type: stripe, name: stripe}\n"
        + "validation: {min_prefix_v4: 24}\n" + WRITERS);
    EntryPolicy github = c.lists().senders().get(0).policy();
    assertEquals(20, github.minPrefixV4());
    assertEquals(24, github.minPrefixV6(), "GitHub's IPv6 /29s pass by the type's default");
    assertTrue(github.refusal(IpRange.parse("198.48.0.0/19")).get().contains("senders[0].validation"));
    assertEquals(24, c.lists().senders().get(1).policy().minPrefixV4(), "stripe: the top-level one");
    assertTrue(c.lists().senders().get(1).policy().refusal(IpRange.parse("2001:db8::1")).isPresent(),
        "documentation range, public senders only");
    assertTrue(error(GITHUB + "    validation: {min_prefix_v4: 40}\n" + WRITERS)
        .startsWith("senders[0].validation.min_prefix_v4: 40 is outside 1..32"));
  }

  @Test
  void aSecretComesFromTheConfigAFileOrTheCredentialNamedAfterTheSender() throws Exception {
    String wecom = "senders:\n  - {type: wecom, name: hr, corp_id: ww1}\n" + WRITERS;
    String missing = error(wecom);
    assertTrue(missing.startsWith("senders[0].corp_secret: missing;") && missing.contains("corp_secret_hr"), missing);
    Path creds = Files.createDirectories(dir.resolve("creds"));
    Files.writeString(creds.resolve("corp_secret_hr"), "from-credential\n");
    Config c = parse(wecom, Map.of("CREDENTIALS_DIRECTORY", creds.toString()));
    SenderSpec s = c.lists().senders().get(0);
    Secret secret = s.context(Clock.systemUTC(), Sleeper.SYSTEM).secret("corp_secret", null, null);
    assertEquals("from-credential", secret.reveal());
    assertEquals(WecomSourceType.TYPE, s.type());
  }

  @Test
  void aWriterTakesTheSendersItNamesOrAll() {
    String two = GITHUB + "  - {type: stripe, name: stripe}\n";
    Config c = parse(two + "writers:\n  - {type: dryrun, senders: [github]}\n");
    assertEquals(Set.of("github"), c.writers().get(0).senders());
    assertEquals(Set.of(), parse(two + "writers:\n  - {type: dryrun, senders: [stripe, github]}\n").writers().get(0)
        .senders(), "naming them all is taking every sender");
    String unknown = error(two + "writers:\n  - {type: dryrun, senders: [gitlab]}\n");
    assertTrue(unknown.startsWith("writers[0].senders[0]: 'gitlab' is not a configured sender; the senders are:"
        + " github, stripe"), unknown);
    assertTrue(error(two + "writers:\n  - {type: dryrun, senders: github}\n")
        .startsWith("writers[0].senders: must be a list of sender names"));
    assertTrue(error(two + "writers:\n  - {type: dryrun, senders: [github, github]}\n")
        .contains("'github' is named twice"));
  }
}
