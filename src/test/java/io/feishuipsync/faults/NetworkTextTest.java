package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Feishu {@code msg} and log id that try to forge log lines and drive the terminal, through the whole CLI: the
 * log stays one JSON object per line, the error one line, and status.json holds the escaped text.
 */
class NetworkTextTest {

  static final String FORGED = "denied\\n{\\\"level\\\":\\\"INFO\\\",\\\"message\\\":\\\"forged\\\"}\\r\\n"
      + "2026-11-25 ERROR forged \\u001b[31mred\\u001b]0;title\\u0007\\u202egnp.exe";

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(20));
    config = TestConfig.inDir(feishu, dir).section("logging:\n  format: %s").fileWriter().write();
  }

  CliRunner.Result syncWithHostileMsg(String format) throws IOException {
    Files.writeString(config, Files.readString(config).replace("%s", format));
    feishu.failNextList(Fault.status(400, "{\"code\":1234,\"msg\":\"" + FORGED + "\"}")
        .withHeader("X-Tt-Logid", "log\u001b[2Jid"));
    return CliRunner.withConfig(config, "--verbose", "sync");
  }

  static void assertNoControlCharacters(String s) {
    assertFalse(s.chars().anyMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0)
        || c == 0x202e), s);
  }

  @Test
  void jsonLogStaysOneObjectPerLineAndStatusHoldsTheEscapedMsg() throws IOException {
    CliRunner.Result r = syncWithHostileMsg("json");
    assertEquals(3, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("denied\\n{\"level\":\"INFO\""), r.err());
    assertTrue(r.err().contains("\\u001b[31mred"), r.err());
    assertTrue(r.err().contains("log id log\\u001b[2Jid"), r.err());
    assertNoControlCharacters(r.err());

    ObjectMapper json = new ObjectMapper();
    List<String> lines = r.log().lines().toList();
    assertFalse(lines.isEmpty());
    for (String line : lines) {
      JsonNode event = json.readTree(line);
      assertTrue(event.isObject(), line);
      assertNoControlCharacters(event.path("formattedMessage").asText() + event.path("message").asText());
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("ERROR forged")), r.log());
    assertFalse(lines.stream().anyMatch(l -> l.contains("\"message\":\"forged\"")), r.log());

    JsonNode status = json.readTree(dir.resolve("state/status.json").toFile());
    String message = status.path("last_attempt").path("message").asText();
    assertTrue(message.contains("denied\\n{\"level\""), message);
    assertTrue(message.contains("\\u001b[31mred\\u001b]0;title\\u0007\\u202egnp.exe"), message);
    assertNoControlCharacters(message);
  }

  @Test
  void textLogHasNoForgedLine() throws IOException {
    CliRunner.Result r = syncWithHostileMsg("text");
    assertEquals(3, r.exit(), r.err());
    assertNoControlCharacters(r.log());
    assertFalse(r.log().lines().anyMatch(l -> l.startsWith("2026-11-25 ERROR forged")), r.log());
    assertTrue(r.log().lines().allMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")), r.log());
  }
}
