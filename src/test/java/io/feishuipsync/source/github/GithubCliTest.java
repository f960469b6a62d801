package io.feishuipsync.source.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.source.SenderCli;
import io.feishuipsync.source.StandIn.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: github} end to end: the CLI against a stand-in of GitHub's meta API, a file writer. */
class GithubCliTest {

  @TempDir
  Path dir;
  FakeGithub github;
  SenderCli cli;

  @BeforeEach
  void setUp() {
    github = new FakeGithub();
    cli = new SenderCli(dir, Map.of("GITHUB_TOKEN", FakeGithub.TOKEN));
    cli.config("  - type: github\n    name: github\n    base_url: " + github.baseUrl() + "\n");
  }

  @AfterEach
  void tearDown() {
    github.close();
  }

  @Test
  void theHooksAreAppliedThenAChangeFollows() {
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +3 -0"));
    assertEquals("192.0.2.0/26\n198.51.100.0/27\n2001:db8:40::/48\n", cli.held().replaceAll("(?m)^#.*\n", ""));
    assertEquals("application/vnd.github+json", github.requests().get(0).headers().get("accept"));
    assertNull(github.requests().get(0).headers().get("authorization"), "no credentials needed");

    github.hooks("192.0.2.0/26", "198.51.100.0/27", "203.0.113.0/24");
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +1 -1"));
    assertTrue(cli.held().contains("203.0.113.0/24") && !cli.held().contains("2001:db8:40::/48"), cli.held());
  }

  @Test
  void aTokenIsSentAndAWrongOneIsOneClearLine() {
    cli.config("  - type: github\n    name: github\n    base_url: " + github.baseUrl()
        + "\n    token: ${GITHUB_TOKEN}\n");
    cli.synced();
    assertEquals("Bearer " + FakeGithub.TOKEN, github.requests().get(0).headers().get("authorization"));

    cli.config("  - type: github\n    name: github\n    base_url: " + github.baseUrl() + "\n    token: ghp_wrong\n");
    cli.refused(Cli.SOURCE, "GitHub refused the token (HTTP 401)", "ghp_wrong");
  }

  @Test
  void aUsedUpRateLimitFailsAtOnceNamingTheResetAndKeepsTheList() {
    cli.synced();
    github.remaining(0);
    String line = cli.refused(Cli.SOURCE, "GitHub's rate limit is used up until ").err();
    assertTrue(line.contains("a token raises it"), line);
    assertEquals(2, github.requests().size(), "the reset is half an hour away: not waited for, not asked again");
  }

  @Test
  void aSecondAskWithTheEtagIsAnsweredNotModifiedAndKeepsTheList() throws Exception {
    // The ETag lives as long as the source: the daemon's, here one source fetched twice.
    try (var source = (GithubSource) GithubSourceType.TYPE.create(new GithubSourceType.Settings(
        github.baseUrl().toString(), null, null), new io.feishuipsync.source.SourceContext("github", "senders[0]",
        false, java.time.Clock.systemUTC(), d -> { }, null))) {
      var first = source.fetch();
      var second = source.fetch();
      assertEquals(first.entries(), second.entries());
      assertTrue(github.requests().get(1).headers().get("if-none-match").startsWith("W/\""));
    }
  }

  @Test
  void hostileAnswersAreRefusedWithNothingApplied() {
    cli.synced();
    github.hooks("0.0.0.0/0");
    cli.refused(Cli.SOURCE, "0.0.0.0/0");
    github.hooks("192.0.2.0/26", "10.0.0.0/8");
    cli.refused(Cli.SOURCE, "10.0.0.0/8 ");
    github.hooks("192.0.2.0/26", "not-an-address");
    cli.refused(Cli.SOURCE, "hooks holds 'not-an-address', not an address or CIDR");
    github.next(Answer.json(200, "{\"hooks\":\"192.0.2.1\"}"));
    cli.refused(Cli.SOURCE, "hooks is missing or not a list");
    github.next(Answer.json(200, "{\"hooks\":[\"192.0.2.1\""));
    cli.refused(Cli.SOURCE, "not a JSON object");
    github.next(Answer.json(200, "{\"hooks\":[\"" + "1".repeat(2 << 20) + "\"]}"));
    cli.refused(Cli.SOURCE, "larger than 1048576 bytes");
    github.next(Answer.json(200, "{\"hooks\":[]}"));
    cli.refused(Cli.REFUSED, "empty list");
    assertFalse(cli.held().isEmpty());
  }
}
