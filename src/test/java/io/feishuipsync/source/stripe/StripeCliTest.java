package io.feishuipsync.source.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.cli.Cli;
import io.feishuipsync.source.PublishedFile;
import io.feishuipsync.source.SenderCli;
import io.feishuipsync.source.StandIn.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: stripe} end to end against a stand-in serving Stripe's published ips_webhooks.json. */
class StripeCliTest {

  @TempDir
  Path dir;
  PublishedFile stripe;
  SenderCli cli;

  static String webhooks(String... ips) {
    return "{\"WEBHOOKS\":[\"" + String.join("\",\"", ips) + "\"]}";
  }

  @BeforeEach
  void setUp() {
    stripe = new PublishedFile(StripeSourceType.PATH, webhooks("192.0.2.10", "192.0.2.11", "198.51.100.7"),
        "application/json");
    cli = new SenderCli(dir, Map.of());
    cli.config("  - type: stripe\n    name: stripe\n    base_url: " + stripe.baseUrl() + "\n");
  }

  @AfterEach
  void tearDown() {
    stripe.close();
  }

  @Test
  void theWebhookAddressesAreAppliedThenAChangeFollows() {
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +3 -0"));
    assertTrue(cli.held().contains("198.51.100.7/32"), cli.held());
    stripe.publish(webhooks("192.0.2.10", "192.0.2.11", "203.0.113.9"));
    assertTrue(cli.synced().out().startsWith("applied: 3 entries, +1 -1"));
    assertEquals("/files/ips/ips_webhooks.json", stripe.requests().get(1).pathAndQuery());
  }

  @Test
  void aRateLimitIsWaitedOutThenTheListIsRead() {
    stripe.next(new Answer(429, Map.of("Retry-After", "1"), "slow down"));
    assertTrue(cli.synced().out().startsWith("applied: 3 entries"));
    assertEquals(2, stripe.requests().size());
  }

  @Test
  void hostileOrBrokenAnswersAreRefusedWithNothingApplied() {
    cli.synced();
    stripe.publish(webhooks("192.0.2.10", "0.0.0.0/1"));
    cli.refused(Cli.SOURCE, "0.0.0.0/1 is broader than validation.min_prefix_v4 /16");
    stripe.publish(webhooks("192.0.2.10", "127.0.0.1"));
    cli.refused(Cli.SOURCE, "127.0.0.1/32 lies in 127.0.0.0/8");
    stripe.publish("<html>maintenance</html>");
    cli.refused(Cli.SOURCE, "invalid answer from Stripe, nothing applied: the answer is not JSON");
    stripe.publish("{\"webhooks\":[]}");
    cli.refused(Cli.SOURCE, "the list at /WEBHOOKS is missing or not a list");
    stripe.publish(webhooks("192.0.2.10") + " ".repeat(1 << 20));
    cli.refused(Cli.SOURCE, "larger than 1048576 bytes");
    stripe.next(new Answer(404, Map.of(), "gone"));
    cli.refused(Cli.SOURCE, "Stripe answered HTTP 404, nothing applied: gone");
  }
}
