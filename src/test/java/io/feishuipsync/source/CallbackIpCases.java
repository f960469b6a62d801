package io.feishuipsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.config.SenderSpec;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.StandIn.Answer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the WeCom and WeChat sources must both do against their stand-in, end to end through the CLI: first sync,
 * change, an expired token refreshed once, busy and rate-limited answers retried, a wrong secret in one line
 * without the secret, hostile answers refused with nothing applied.
 */
public abstract class CallbackIpCases {

  @TempDir
  protected Path dir;
  protected FakeCallbackIpApi api;
  protected SenderCli cli;

  /** The stand-in of this platform. */
  protected abstract FakeCallbackIpApi api();

  /** The sender's config item (indented list item) against {@code api} with {@code secret}. */
  protected abstract String sender(FakeCallbackIpApi api, String secret);

  /** The error code of a wrong secret on this platform. */
  protected abstract String wrongSecretLine();

  protected void start() {
    api = api();
    cli = new SenderCli(dir, Map.of("SENDER_SECRET", FakeCallbackIpApi.SECRET));
    cli.config(sender(api, "${SENDER_SECRET}"));
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void theListIsAppliedThenAChangeFollows() {
    start();
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +3 -0"));
    assertTrue(cli.held().contains("198.51.100.0/25"), cli.held());
    api.ips("192.0.2.20", "192.0.2.21", "198.51.100.0/25", "203.0.113.30");
    assertTrue(cli.synced().out().startsWith("applied: 4 entries, +1 -0"));
  }

  @Test
  void anExpiredTokenIsFetchedAgainOnceAndTheListAskedAgain() throws Exception {
    start();
    // The token lives as long as the source: the daemon's, here one source fetched twice.
    SenderSpec spec = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, Map.of("SENDER_SECRET",
        FakeCallbackIpApi.SECRET)::get).load(dir.resolve("config.yaml")).lists().senders().get(0);
    try (Source source = spec.build(Clock.systemUTC(), d -> { })) {
      SourceList first = source.fetch();
      api.expireTokens();
      assertEquals(first.entries(), source.fetch().entries());
      List<String> paths = api.requests().stream().map(r -> r.pathAndQuery().split("\\?")[0]).toList();
      assertEquals(5, paths.size(), "token, list; list (expired), token, list: " + paths);
      assertEquals(paths.get(0), paths.get(3), "the token asked again once");
      assertEquals(first.entries(), source.fetch().entries());
      assertEquals(6, api.requests().size(), "the fresh token is kept");
    }
  }

  @Test
  void busyAndRateLimitedAnswersAreRetried() {
    start();
    api.next(FakeCallbackIpApi.error(-1, "system error"));
    api.next(FakeCallbackIpApi.error(45009, "reach max api daily quota limit"));
    assertTrue(cli.synced().out().startsWith("applied: 3 entries"));
    assertEquals(4, api.requests().size(), "busy and rate limit, then token and list");
  }

  @Test
  void aWrongSecretIsOneLineWithoutTheSecret() {
    start();
    cli.synced();
    cli.config(sender(api, "wrong-SECRET-shown-nowhere"));
    String line = cli.refused(Cli.SOURCE, wrongSecretLine(), "wrong-SECRET-shown-nowhere").err();
    assertTrue(line.contains("nothing applied"), line);
    var check = cli.run("check-config", "--online");
    assertEquals(Cli.USAGE, check.exit(), check.toString());
    assertTrue(check.err().contains(wrongSecretLine()), check.err());
  }

  @Test
  void hostileAnswersAreRefusedWithNothingApplied() {
    start();
    cli.synced();
    api.ips("192.0.2.20", "0.0.0.0/0");
    cli.refused(Cli.SOURCE, "0.0.0.0/0");
    api.ips("192.0.2.20", "169.254.169.254");
    cli.refused(Cli.SOURCE, "169.254.169.254/32 lies in 169.254.0.0/16");
    api.ips("192.0.2.20");
    api.next(Answer.json(200, "{\"errcode\":0,\"access_token\":\"T\\nX\",\"expires_in\":7200}"));
    cli.refused(Cli.SOURCE, "no usable access_token");
    api.next(Answer.json(200, "{\"errcode\":0,\"access_token\":\"" + "A".repeat(2 << 20) + "\"}"));
    cli.refused(Cli.SOURCE, "larger than 1048576 bytes");
    api.next(new Answer(502, Map.of(), "<html>bad gateway</html>"));
    api.next(new Answer(502, Map.of(), "<html>bad gateway</html>"));
    api.next(new Answer(502, Map.of(), "<html>bad gateway</html>"));
    api.next(new Answer(502, Map.of(), "<html>bad gateway</html>"));
    api.next(new Answer(502, Map.of(), "<html>bad gateway</html>"));
    cli.refused(Cli.SOURCE, "gave up on an access token after 5 attempts; last failure: HTTP 502");
  }
}
