package io.feishuipsync.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.CliRunner;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile answers from Feishu, through the whole CLI: each ends in a clear exit code, and the allowlist and state
 * either stay exactly as they were or hold the complete new list; the next normal run converges.
 */
class HostileFeishuTest {

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

  record Run(int exit, String err) {}

  Run sync(String... extra) {
    List<String> args = new ArrayList<>(List.of("sync"));
    args.addAll(List.of(extra));
    CliRunner.Result r = CliRunner.withConfig(config, args.toArray(String[]::new));
    return new Run(r.exit(), r.err());
  }

  String state() throws IOException {
    return Files.readString(allow) + Files.readString(dir.resolve("state/snapshot.json"));
  }

  void assertUnchangedThenConverges(String before, Run r, int exit, String message) throws IOException {
    assertEquals(exit, r.exit, r.err);
    assertTrue(r.err.contains(message), r.err);
    assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
    assertEquals(before, state());
    feishu.heal().entries(FakeFeishu.docAddresses(101));
    assertEquals(0, sync().exit, "the next normal run converges");
    assertEquals(101, Files.readAllLines(allow).stream().filter(l -> !l.startsWith("#")).count());
  }

  static Stream<Arguments> hostileAnswers() {
    return Stream.of(
        // Entries no public sender has; the documentation ranges are exempt in this config (as in any lab).
        Arguments.of("every IPv4 address in two halves", (Consumer<FakeFeishu>) f -> f.entries(
            List.of("0.0.0.0/1", "128.0.0.0/1")), 3, "entry 0.0.0.0/1 is broader than validation.min_prefix_v4 /16"),
        Arguments.of("a private /8", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "10.0.0.0/8")), 3,
            "entry 10.0.0.0/8 is broader"),
        Arguments.of("a private address", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "10.1.2.3")), 3,
            "entry 10.1.2.3/32 lies in 10.0.0.0/8 (private use, RFC 1918)"),
        Arguments.of("loopback", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "127.0.0.1")), 3,
            "lies in 127.0.0.0/8 (loopback"),
        Arguments.of("the cloud metadata address", (Consumer<FakeFeishu>) f -> f.entries(
            List.of("192.0.2.1", "169.254.169.254")), 3, "lies in 169.254.0.0/16 (link local"),
        Arguments.of("CGNAT", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "100.64.1.0/24")), 3,
            "lies in 100.64.0.0/10 (shared address space (CGNAT)"),
        Arguments.of("multicast", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "224.0.0.0/4")), 3,
            "entry 224.0.0.0/4 is broader"),
        Arguments.of("a multicast group", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "239.1.1.1")), 3,
            "lies in 224.0.0.0/4 (multicast"),
        Arguments.of("IPv6 loopback", (Consumer<FakeFeishu>) f -> f.entries(List.of("2001:db8::1", "::1")), 3,
            "entry ::1/128 lies in ::1/128 (loopback"),
        Arguments.of("IPv6 link-local", (Consumer<FakeFeishu>) f -> f.entries(List.of("2001:db8::1", "fe80::/10")), 3,
            "entry fe80::/10 is broader than validation.min_prefix_v6 /32"),
        Arguments.of("an IPv6 link-local address", (Consumer<FakeFeishu>) f -> f.entries(
            List.of("2001:db8::1", "fe80::1")), 3, "lies in fe80::/10 (link-local"),
        Arguments.of("IPv4-mapped IPv6", (Consumer<FakeFeishu>) f -> f.entries(
            List.of("2001:db8::1", "::ffff:0:0/96")), 3, "lies in ::ffff:0:0/96 (IPv4-mapped"),
        Arguments.of("unique local IPv6", (Consumer<FakeFeishu>) f -> f.entries(List.of("2001:db8::1", "fd00::1")),
            3, "lies in fc00::/7 (unique local"),
        Arguments.of("malformed JSON", (Consumer<FakeFeishu>) f -> f.failNextList(Fault.status(200, "{\"code\":0,")),
            3, "not JSON"),
        // Feishu leaves out empty arrays, so a missing ip_list is an empty list, which the guard refuses.
        Arguments.of("no ip_list", (Consumer<FakeFeishu>) f -> f.failNextList(
            Fault.status(200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"has_more\":false}}")), 4, "empty list"),
        Arguments.of("ip_list not an array", (Consumer<FakeFeishu>) f -> f.failNextList(
            Fault.status(200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"ip_list\":\"192.0.2.1\"}}")), 3,
            "no data.ip_list"),
        Arguments.of("empty list", (Consumer<FakeFeishu>) f -> f.entries(List.of()), 4, "empty list"),
        Arguments.of("looping page token", (Consumer<FakeFeishu>) f -> f.loopingPageToken("pt-same"), 3,
            "page_token"),
        Arguments.of("a hostname", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "evil.example")), 3,
            "evil.example"),
        Arguments.of("a /33", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.0/33")), 3, "192.0.2.0/33"),
        Arguments.of("::/0", (Consumer<FakeFeishu>) f -> f.entries(List.of("2001:db8::1", "::/0")), 3, "::/0"),
        Arguments.of("an empty string", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1", "")), 3,
            "\"\""),
        Arguments.of("a space", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1 ")), 3, "192.0.2.1 "),
        Arguments.of("a semicolon", (Consumer<FakeFeishu>) f -> f.entries(List.of("192.0.2.1;reboot")), 3,
            "192.0.2.1;reboot"),
        Arguments.of("wrong secret", (Consumer<FakeFeishu>) f -> f.secret("another-secret"), 3, "10014"),
        Arguments.of("missing scope", (Consumer<FakeFeishu>) f -> f.missingScope(), 3, "event:ip_list"),
        Arguments.of("server errors", (Consumer<FakeFeishu>) f -> f.failNextList(
            Fault.code(500, 1, "internal"), Fault.code(500, 1, "internal")), 3, "500"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileAnswers")
  void hostileAnswerChangesNothingAndTheNextRunConverges(String name, Consumer<FakeFeishu> hostile, int exit,
      String message) throws IOException {
    String before = state();
    hostile.accept(feishu);
    assertUnchangedThenConverges(before, sync(), exit, message);
  }

  @Test
  void listShrinkingByNinetyPercentIsRefused() throws IOException {
    String before = state();
    feishu.entries(FakeFeishu.docAddresses(10));
    assertUnchangedThenConverges(before, sync(), 4, "removes 90 of 100");
  }

  @Test
  void wholeInternetIsRefused() throws IOException {
    String before = state();
    feishu.entries(List.of("0.0.0.0/0"));
    assertUnchangedThenConverges(before, sync(), 3, "\"0.0.0.0/0\"");
  }

  @Test
  void additionOpeningTooManyAddressesIsRefusedUnlessForced() throws IOException {
    String before = state();
    List<String> wider = new ArrayList<>(FakeFeishu.docAddresses(100));
    wider.add("2001:db8::/40");
    feishu.entries(wider);
    Run r = sync();
    assertEquals(4, r.exit, r.err);
    assertTrue(r.err.contains("opens 16777216 IPv6 /64 networks, more than guard.max_added_v6_networks 65536"),
        r.err);
    assertEquals(before, state());
    assertEquals(0, sync("--force").exit);
    assertTrue(Files.readString(allow).contains("2001:db8::/40"));
  }

  @Test
  void fiftyMegabyteBodyIsRefused() throws IOException {
    String before = state();
    feishu.failNextList(Fault.status(200, "{\"code\":0,\"msg\":\"" + "x".repeat(50 * 1024 * 1024) + "\"}"));
    assertUnchangedThenConverges(before, sync(), 3, "larger than");
  }

  @Test
  void serverThatNeverAnswersTimesOut() throws IOException {
    String before = state();
    feishu.failNextList(Fault.slow(60_000), Fault.slow(60_000));
    long start = System.nanoTime();
    Run r = sync();
    assertTrue(System.nanoTime() - start < 30_000_000_000L, "bounded by the timeouts");
    assertUnchangedThenConverges(before, r, 3, "timeout");
  }

  @Test
  void hundredThousandEntriesAreApplied() throws IOException {
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      big.add("2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::/64");
    }
    feishu.entries(big);
    Run r = sync("--force");
    assertEquals(0, r.exit, r.err);
    assertEquals(100_000, Files.readAllLines(allow).stream().filter(l -> !l.startsWith("#")).count());
    assertFalse(Files.readString(allow).contains("198.51.100."));
  }
}
