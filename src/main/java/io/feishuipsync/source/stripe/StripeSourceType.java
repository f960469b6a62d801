package io.feishuipsync.source.stripe;

import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.BaseUrls;
import io.feishuipsync.source.http.Fetcher;
import io.feishuipsync.source.http.ListFormat;
import io.feishuipsync.source.http.PublishedList;
import java.net.URI;

/**
 * {@code type: stripe}: the addresses Stripe sends webhooks from, as Stripe publishes them in
 * {@code /files/ips/ips_webhooks.json} ({@code {"WEBHOOKS": [...]}}); no credentials.
 */
public final class StripeSourceType {

  /** Stripe's site, when {@code base_url} is not set. */
  public static final URI STRIPE = URI.create("https://stripe.com");
  static final String PATH = "/files/ips/ips_webhooks.json";

  /** Its registration in {@code cli.SourceTypes}: Stripe lists single hosts; Feishu's prefix lengths hold. */
  public static final SourceType<Settings> TYPE = new SourceType<>("stripe", Settings.class,
      StripeSourceType::create, 16, 32);

  /**
   * Settings of a stripe sender.
   *
   * @param baseUrl {@code https://stripe.com} (default), or a mirror that serves the same file
   */
  public record Settings(String baseUrl) {}

  private StripeSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    String given = s.baseUrl() == null ? STRIPE.toString() : s.baseUrl();
    URI base = BaseUrls.parse("base_url", given, given, "https://stripe.com or a mirror's https://host[:port]");
    return new PublishedList(URI.create(base + PATH), ListFormat.of("json", "/WEBHOOKS", null, null, null), null,
        new Fetcher("Stripe", context.key(), Fetcher.Settings.defaults(1 << 20), context.sleeper(), context.clock()),
        context.clock());
  }
}
