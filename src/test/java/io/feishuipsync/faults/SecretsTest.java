package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.config.TestConfig;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full sync with every secret set (app secret, bot and webhook secrets, AWS keys) at debug level: none of them,
 * nor the tenant token, appears in stdout, stderr, the log, status, the state files, or the command line of any
 * process the sync starts.
 */
class SecretsTest {

  static final String BOT_SECRET = "bot-secret-QWERTY-123";
  static final String HOOK_SECRET = "hook-secret-ASDFGH-456";
  static final String AWS_KEY_ID = "AKIAZZZZZZZZZZZZZZZZ";
  static final String AWS_SECRET = "aws-secret-ZXCVBN/789+abc";
  static final List<String> SECRETS = List.of(FakeFeishu.APP_SECRET, BOT_SECRET, HOOK_SECRET, AWS_SECRET,
      AWS_KEY_ID, "-token");

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  HttpServer hooks;

  @BeforeEach
  void start() throws IOException {
    feishu.entries(FakeFeishu.docAddresses(60));
    hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hooks.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] ok = "{\"code\":0}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    hooks.start();
  }

  @AfterEach
  void stop() {
    hooks.stop(0);
  }

  String config(boolean withAws) {
    String hook = "http://127.0.0.1:" + hooks.getAddress().getPort();
    TestConfig c = TestConfig.pointedAt(feishu, dir.resolve("state"))
        .section("logging:\n  level: trace")
        .section("""
            notify:
              feishu_bot:
                url: %s/open-apis/bot/v2/hook/tok
                secret: ${BOT_SECRET}
              webhook:
                url: %s/hook
                secret: ${HOOK_SECRET}
            """.formatted(hook, hook))
        .fileWriter(dir.resolve("allow.conf"), "on_change: [\"/bin/sh\", \"-c\", \"cat /proc/$PPID/cmdline"
            + " /proc/$$/cmdline > " + dir.resolve("cmdlines") + "; env > " + dir.resolve("child-env") + "\"]");
    if (withAws) {
      c.writer("""
          type: aws-prefix-list
          region: eu-west-1
          endpoint: http://127.0.0.1:9
          access_key_id: ${AWS_KEY_ID}
          secret_access_key: ${AWS_SECRET}
          prefix_list_id: pl-0123456789abcdef0
          """);
    }
    return c.yaml();
  }

  String run(String yaml, String... args) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml);
    List<String> argv = new ArrayList<>(List.of("-v", "--config", config.toString()));
    argv.addAll(List.of(args));
    CliRunner.Result r = CliRunner.run(Map.of("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET, "BOT_SECRET", BOT_SECRET,
        "HOOK_SECRET", HOOK_SECRET, "AWS_KEY_ID", AWS_KEY_ID, "AWS_SECRET", AWS_SECRET), argv);
    return r.out() + r.err() + r.log();
  }

  static void assertNoSecret(String where, String text) {
    for (String s : SECRETS) {
      assertFalse(text.contains(s), "'" + s + "' appears in " + where);
    }
  }

  @Test
  void noSecretAnywhere() throws IOException {
    String printed = run(config(false), "sync");
    assertTrue(printed.contains("DEBUG"), "debug logging was on");
    assertTrue(printed.contains("notified webhook at 127.0.0.1"), printed);
    String cmdlines = Files.readString(dir.resolve("cmdlines"));
    assertTrue(cmdlines.contains("sh"), "the on_change command ran");
    assertNoSecret("the output and log of a sync", printed);
    assertNoSecret("the command lines of the daemon and its child", cmdlines);
    assertNoSecret("the environment of the child", Files.readString(dir.resolve("child-env")));

    String failing = run(config(true), "sync");
    assertTrue(failing.contains("aws-prefix-list"), failing);
    assertNoSecret("the output and log of a sync whose AWS writer fails", failing);

    assertNoSecret("status", run(config(true), "status") + run(config(true), "status", "--output", "json"));
    assertNoSecret("check-config", run(config(true), "check-config", "--online"));
    try (var files = Files.walk(dir.resolve("state"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        assertNoSecret(p.toString(), Files.readString(p));
      }
    }
    assertNoSecret("the allowlist", Files.readString(dir.resolve("allow.conf")));
  }
}
