package io.feishuipsync.source.feishu;

import static io.feishuipsync.core.Durations.positive;
import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.BaseUrls;
import java.util.regex.Pattern;

/**
 * {@code type: feishu}: the outbound IPs of the Feishu (or Lark) Open Platform, for an app's event callbacks. The
 * {@code feishu:} section of the config is one such sender, or a list of them.
 */
public final class FeishuSourceType {

  /** Its registration in {@code cli.SourceTypes}. */
  public static final SourceType<Settings> TYPE = new SourceType<>("feishu", Settings.class,
      FeishuSourceType::create, EntryPolicy.DEFAULT_MIN_PREFIX_V4, EntryPolicy.DEFAULT_MIN_PREFIX_V6);

  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  /**
   * Settings of one app, as {@code feishu:} has always taken them.
   *
   * @param baseUrl {@code feishu} (default), {@code lark}, or {@code https://host[:port]} of a mirror or stand-in
   * @param appId the app's id
   * @param appSecret the app's secret (or {@code app_secret_file}, or the systemd credential)
   */
  public record Settings(
      String baseUrl,
      String appId,
      String appSecret,
      String appSecretFile,
      Integer pageSize,
      Integer maxPages,
      String connectTimeout,
      String responseTimeout,
      Integer maxAttempts,
      String maxRetryTime,
      String maxRateLimitWait) {}

  private FeishuSourceType() {}

  /** True when {@code f} names Lark's platform: its single app is labelled {@code lark} unless named. */
  public static boolean isLark(Settings f) {
    String b = f.baseUrl() == null ? "" : f.baseUrl().strip();
    return b.equalsIgnoreCase("lark") || b.equals(FeishuSettings.LARK.toString())
        || b.equals(FeishuSettings.LARK + "/");
  }

  private static Source create(Settings f, SourceContext context) {
    return new FeishuClient(settings(f, context), context.sleeper(), context.clock());
  }

  /** The validated settings of {@code f}, its secret resolved; keys in messages are relative to the app. */
  public static FeishuSettings settings(Settings f, SourceContext context) {
    String given = requireNonNullElse(f.baseUrl(), "feishu");
    java.net.URI base = BaseUrls.parse("base_url", switch (given.toLowerCase(java.util.Locale.ROOT)) {
      case "feishu" -> FeishuSettings.FEISHU.toString();
      case "lark" -> FeishuSettings.LARK.toString();
      default -> given;
    }, given, "feishu, lark, or https://host[:port]");
    if (f.appId() == null || f.appId().isBlank()) {
      throw new ConfigException("app_id", "missing");
    }
    if (!APP_ID.matcher(f.appId()).matches()) {
      throw new ConfigException("app_id", "'" + f.appId() + "' is not an app id (letters, digits, _ and -)");
    }
    FeishuSettings d = FeishuSettings.defaults(base, f.appId(),
        context.requiredSecret("app_secret", f.appSecret(), f.appSecretFile(), "${FEISHU_APP_SECRET}"));
    int pageSize = requireNonNullElse(f.pageSize(), d.pageSize());
    if (pageSize < 10 || pageSize > 50) {
      throw new ConfigException("page_size", pageSize + " is outside Feishu's range 10..50");
    }
    int maxPages = requireNonNullElse(f.maxPages(), d.maxPages());
    if (maxPages < 1 || maxPages > 1_000_000) {
      throw new ConfigException("max_pages", maxPages + " is outside 1..1000000");
    }
    int maxAttempts = requireNonNullElse(f.maxAttempts(), d.maxAttempts());
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new ConfigException("max_attempts", maxAttempts + " is outside 1..100");
    }
    return new FeishuSettings(base, f.appId(), d.appSecret(), pageSize, maxPages,
        positive("connect_timeout", f.connectTimeout(), d.connectTimeout()),
        positive("response_timeout", f.responseTimeout(), d.responseTimeout()),
        maxAttempts,
        positive("max_retry_time", f.maxRetryTime(), d.maxRetryTime()),
        positive("max_rate_limit_wait", f.maxRateLimitWait(), d.maxRateLimitWait()),
        d.maxResponseBytes());
  }
}
