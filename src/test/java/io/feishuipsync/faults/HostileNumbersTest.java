package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.source.feishu.FakeFeishu.Delivery;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Odd numbers, types and shapes in Feishu's answers, through the whole CLI: none ends in exit 1 or shows an
 * exception class name; each either works or fails in one clear line with nothing changed, and the next normal run
 * converges.
 */
class HostileNumbersTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  Path config;
  Path allow;

  @BeforeEach
  void setUp() throws IOException {
    allow = dir.resolve("allow.conf");
    config = SyncedOnce.config(feishu, dir);
  }

  CliRunner.Result sync() {
    return CliRunner.withConfig(config, "sync");
  }

  String state() throws IOException {
    return Files.readString(allow) + Files.readString(dir.resolve("state/snapshot.json"));
  }

  static Fault token(String expire) {
    return Fault.status(200, "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-abc\",\"expire\":" + expire + "}");
  }

  static Fault page(String data) {
    return Fault.status(200, "{\"code\":0,\"msg\":\"success\",\"data\":" + data + "}");
  }

  static Arguments tokenAnswer(String name, Fault f, int exit, String message) {
    return Arguments.of(name, (Consumer<FakeFeishu>) ff -> ff.failNextToken(f, f), exit, message);
  }

  static Arguments listAnswer(String name, Fault f, int exit, String message) {
    return Arguments.of(name, (Consumer<FakeFeishu>) ff -> ff.failNextList(f, f), exit, message);
  }

  static Arguments listOnce(String name, Fault f, String message) {
    return Arguments.of(name, (Consumer<FakeFeishu>) ff -> ff.failNextList(f), 0, message);
  }

  static Stream<Arguments> hostileAnswers() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    return Stream.of(
        // A token lifetime beyond any date: clamped, and the (foreign) token is replaced by a real one.
        Arguments.of("expire of 10^18 seconds",
            (Consumer<FakeFeishu>) ff -> ff.failNextToken(token("999999999999999999")), 0, ""),
        tokenAnswer("expire 0", token("0"), 3, "not a positive number of seconds"),
        tokenAnswer("negative expire", token("-7200"), 3, "not a positive number of seconds"),
        tokenAnswer("expire as a string", token("\"7200\""), 3, "not a positive number of seconds"),
        tokenAnswer("expire NaN as a string", token("\"NaN\""), 3, "not a positive number of seconds"),
        tokenAnswer("fractional expire", token("7200.5"), 3, "not a positive number of seconds"),
        tokenAnswer("expire 1e400", token("1e400"), 3, "not a positive number of seconds"),
        tokenAnswer("expire with 30 digits", token("123456789012345678901234567890"), 3,
            "not a positive number of seconds"),
        tokenAnswer("expire with 100 digits", token("1" + "0".repeat(99)), 3, "not JSON"),
        tokenAnswer("token as a number", Fault.status(200,
            "{\"code\":0,\"tenant_access_token\":12345,\"expire\":7200}"), 3, "no usable tenant_access_token"),
        tokenAnswer("token with a newline", Fault.status(200,
            "{\"code\":0,\"tenant_access_token\":\"t-a\\r\\nX-Evil: 1\",\"expire\":7200}"), 3,
            "no usable tenant_access_token"),
        tokenAnswer("token code as a string", Fault.status(200, "{\"code\":\"0\",\"tenant_access_token\":\"t-a\"}"),
            3, "no integer code"),
        tokenAnswer("token code 1e30", Fault.status(200, "{\"code\":1e30}"), 3, "no integer code"),
        listAnswer("code as a string", Fault.status(200, "{\"code\":\"0\",\"data\":{\"ip_list\":[]}}"), 3,
            "no integer code"),
        listAnswer("fractional code", Fault.status(200, "{\"code\":0.5,\"data\":{\"ip_list\":[]}}"), 3,
            "no integer code"),
        listAnswer("negative code", Fault.code(400, -1, "minus"), 3, "code -1"),
        listAnswer("huge code", Fault.status(400, "{\"code\":99999999999999999999,\"msg\":\"big\"}"), 3,
            "no integer code"),
        listAnswer("has_more as a string", page("{\"ip_list\":[\"198.51.100.1\"],\"has_more\":\"yes\"}"), 3,
            "has_more is \"yes\""),
        listAnswer("has_more as a number", page("{\"ip_list\":[\"198.51.100.1\"],\"has_more\":1}"), 3,
            "has_more is 1"),
        listAnswer("page_token as a number", page("{\"ip_list\":[\"198.51.100.1\"],\"has_more\":true,"
            + "\"page_token\":7}"), 3, "no page_token string"),
        listAnswer("page_token of 5000 characters", page("{\"ip_list\":[\"198.51.100.1\"],\"has_more\":true,"
            + "\"page_token\":\"" + "p".repeat(5000) + "\"}"), 3, "longer than 2048"),
        listAnswer("data as an array", page("[1,2]"), 3, "no data.ip_list"),
        listAnswer("nested garbage", page("{\"ip_list\":" + deep + "}"), 3, "parser's limits"),
        listAnswer("nested entries", page("{\"ip_list\":[[\"198.51.100.1\"]]}"), 3, "is not a string"),
        listAnswer("an entry of 10000 characters", page("{\"ip_list\":[\"" + "9".repeat(10_000) + "\"]}"), 3,
            "is not an IP address"),
        listAnswer("msg as an object with a code", Fault.status(400,
            "{\"code\":5,\"msg\":{\"a\":[1,{\"b\":null}]}}"), 3, "msg \"{\"a\":[1,{\"b\":null}]}\""),
        listAnswer("JSON null", Fault.status(200, "null"), 3, "no integer code"),
        listAnswer("an empty body", Fault.status(200, ""), 3, "not JSON (empty body"),
        listAnswer("truncated JSON", Fault.status(200, "{\"code\":0,\"data\":{\"ip_list\":[\"198.51"), 3,
            "not JSON (truncated"),
        listAnswer("connection cut mid-body", page("{\"ip_list\":[\"198.51.100.1\"],\"has_more\":false}")
            .delivered(Delivery.TRUNCATED), 3, "connection closed before the answer was complete"),
        listAnswer("HTML with HTTP 200", Fault.status(200, "<html><body>\n\u001b[31mmaintenance</body></html>")
            .withHeader("Content-Type", "text/html"), 3, "content type text/html"),
        listAnswer("HTML with HTTP 502", Fault.status(502, "<html>bad gateway</html>")
            .withHeader("Content-Type", "text/html"), 3, "HTTP 502"),
        listAnswer("JSON with trailing garbage", Fault.status(200, "{\"code\":0,\"data\":{}} trailing"), 3,
            "not JSON"),
        listAnswer("HTTP status 999", Fault.code(999, 1, "odd"), 3, "HTTP 999"),
        listAnswer("an enormous header", page("{\"ip_list\":[]}").withHeader("X-Padding", "p".repeat(200_000)),
            3, "headers exceed"),
        listAnswer("a chunked 16 MB body", Fault.status(500, "{\"msg\":\"" + "x".repeat(16_000_000) + "\"}")
            .delivered(Delivery.CHUNKED), 3, "larger than 1048576 bytes"),
        listOnce("reset NaN", Fault.rateLimited(1).withHeader("x-ogw-ratelimit-reset", "NaN"), ""),
        listOnce("reset negative", Fault.rateLimited(1).withHeader("x-ogw-ratelimit-reset", "-30"), ""),
        listOnce("reset 10^20", Fault.rateLimited(1).withHeader("x-ogw-ratelimit-reset", "100000000000000000000"),
            ""),
        listOnce("Retry-After in the past", Fault.status(429, "{\"code\":99991400,\"msg\":\"slow\"}")
            .withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"), ""),
        listOnce("Retry-After garbage", Fault.status(503, "{}").withHeader("Retry-After", "soon\u001b[2J"), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileAnswers")
  void noAnswerEndsInExitOneOrAClassName(String name, Consumer<FakeFeishu> hostile, int exit, String message)
      throws IOException {
    String before = state();
    hostile.accept(feishu);
    CliRunner.Result r = sync();
    assertEquals(exit, r.exit(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(r.err().matches("(?s).*\\b\\w*(Exception|Error)\\b.*"), "no class name: " + r.err());
    assertFalse(r.err().contains("java."), r.err());
    assertFalse(r.err().chars().anyMatch(c -> c < 0x20 && c != '\n'), r.err());
    if (exit != 0) {
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
      assertEquals(before, state());
    } else {
      assertEquals(before.substring(0, before.indexOf('{')), Files.readString(allow), "the same list");
    }
    feishu.heal().entries(FakeFeishu.docAddresses(101));
    assertEquals(0, sync().exit(), "the next normal run converges");
    assertEquals(101, Files.readAllLines(allow).stream().filter(l -> !l.startsWith("#")).count());
  }
}
