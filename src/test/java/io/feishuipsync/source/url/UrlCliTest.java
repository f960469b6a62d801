package io.feishuipsync.source.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.source.PublishedFile;
import io.feishuipsync.source.SenderCli;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: url} end to end: a list of lines, a tagged JSON list as AWS and Atlassian publish, a token. */
class UrlCliTest {

  static final String TOKEN = "list-TOKEN-value-42";
  static final String AWS_LIKE = """
      {"syncToken": "1", "prefixes": [
        {"ip_prefix": "192.0.2.0/24", "region": "cn-north-1", "service": "ROUTE53_HEALTHCHECKS"},
        {"ip_prefix": "198.51.100.0/24", "region": "us-east-1", "service": "EC2"},
        {"ip_prefix": "203.0.113.0/24", "region": "us-east-1", "service": "ROUTE53_HEALTHCHECKS"}],
       "ipv6_prefixes": []}
      """;

  @TempDir
  Path dir;
  PublishedFile site;

  @AfterEach
  void tearDown() {
    site.close();
  }

  SenderCli cli(String keys, Map<String, String> env) {
    SenderCli cli = new SenderCli(dir, env);
    cli.config("  - type: url\n    name: partner\n    url: " + site.baseUrl() + "/ips\n" + keys);
    return cli;
  }

  @Test
  void aListOfLinesWithCommentsIsApplied() {
    site = new PublishedFile("/ips", "# partner callbacks\n192.0.2.1\n\n198.51.100.0/28  \r\n", "text/plain");
    SenderCli cli = cli("", Map.of());
    assertTrue(cli.synced().out().startsWith("applied: 2 entries, +2 -0"));
    site.publish("192.0.2.1\n198.51.100.0/28\n192.0.2.99\n");
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +1 -0"));
    site.publish("192.0.2.1\n198.51.100.0/28\nrm -rf /\n");
    cli.refused(Cli.SOURCE, "line 3 holds 'rm -rf /', not an address or CIDR");
  }

  @Test
  void aTaggedJsonListIsFilteredByItsField() {
    site = new PublishedFile("/ips", AWS_LIKE, "application/json");
    SenderCli cli = cli("    format: json\n    pointer: /prefixes\n    field: service\n"
        + "    match: ROUTE53_HEALTHCHECKS\n", Map.of());
    assertTrue(cli.synced().out().startsWith("applied: 2 entries, +2 -0"));
    assertTrue(cli.held().contains("203.0.113.0/24") && !cli.held().contains("198.51.100.0/24"), cli.held());
    site.publish(AWS_LIKE.replace("\"ip_prefix\": \"203.0.113.0/24\"", "\"ip_prefix\": \"10.0.0.0/8\""));
    cli.refused(Cli.SOURCE, "entry 10.0.0.0/8 is broader than validation.min_prefix_v4 /16");
    site.publish("{\"prefixes\": {\"ip_prefix\": \"192.0.2.0/24\"}}");
    cli.refused(Cli.SOURCE, "the list at /prefixes is missing or not a list");
    site.publish("[" + "[".repeat(100) + "]".repeat(100) + "]");
    cli.refused(Cli.SOURCE, "the answer is not JSON");
  }

  @Test
  void aBearerTokenFromTheEnvironmentIsSentAndNeverPrinted() {
    site = new PublishedFile("/ips", "192.0.2.1\n", "text/plain").token(TOKEN);
    SenderCli cli = cli("    token: ${LIST_TOKEN}\n", Map.of("LIST_TOKEN", TOKEN));
    cli.synced();
    assertEquals("Bearer " + TOKEN, site.requests().get(0).headers().get("authorization"));
    site.token("another");
    cli.refused(Cli.SOURCE, "refused the token (HTTP 401)", TOKEN);
  }

  @Test
  void aRateLimitIsWaitedOutAndAServerErrorRetried() {
    site = new PublishedFile("/ips", "192.0.2.1\n", "text/plain");
    SenderCli cli = cli("", Map.of());
    site.next(new io.feishuipsync.source.StandIn.Answer(429, Map.of("Retry-After", "1"), "slow down"));
    site.next(new io.feishuipsync.source.StandIn.Answer(502, Map.of(), "bad gateway"));
    assertTrue(cli.synced().out().startsWith("applied: 1 entries"));
    assertEquals(3, site.requests().size());
  }

  @Test
  void aHugeAnswerIsRefusedBeforeItIsReadWhole() {
    site = new PublishedFile("/ips", "192.0.2.1\n", "text/plain");
    SenderCli cli = cli("", Map.of());
    cli.synced();
    site.publish("192.0.2.1\n".repeat((16 << 20) / 10 + 1));
    cli.refused(Cli.SOURCE, "larger than 16777216 bytes");
  }

  @Test
  void plainHttpIsRefusedButToThisHost() {
    site = new PublishedFile("/ips", "192.0.2.1\n", "text/plain");
    SenderCli cli = new SenderCli(dir, Map.of());
    cli.config("  - type: url\n    name: partner\n    url: http://lists.example/ips\n");
    var r = cli.run("check-config");
    assertEquals(Cli.USAGE, r.exit());
    assertTrue(r.err().contains("senders[0].url: 'http://lists.example/ips' is not an https:// URL"), r.err());
  }
}
