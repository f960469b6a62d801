package io.feishuipsync.config;

import static io.feishuipsync.core.Durations.positive;
import static java.util.Objects.requireNonNullElse;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Durations;
import io.feishuipsync.feishu.FeishuSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validates one app of the {@code feishu} section into {@link FeishuSettings}, its secret from {@link Secrets}. */
final class FeishuSection {

  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private FeishuSection() {
  }

  static FeishuSettings settings(RawConfig.Feishu f, Secrets secrets) {
    if (f == null) {
      throw new ConfigException("feishu", "missing; it needs at least app_id and the app secret");
    }
    return settings(f, secrets, "feishu", Secrets.CREDENTIAL_NAME);
  }

  /** The app at {@code key} ({@code feishu} or {@code feishu[i]}); its secret may be credential {@code credential}. */
  static FeishuSettings settings(RawConfig.Feishu f, Secrets secrets, String key, String credential) {
    URI base = baseUrl(key, requireNonNullElse(f.baseUrl(), FeishuSettings.FEISHU.toString()));
    if (f.appId() == null || f.appId().isBlank()) {
      throw new ConfigException(key + ".app_id", "missing");
    }
    if (!APP_ID.matcher(f.appId()).matches()) {
      throw new ConfigException(key + ".app_id", "'" + f.appId() + "' is not an app id (letters, digits, _ and -)");
    }
    FeishuSettings d = FeishuSettings.defaults(base, f.appId(), secrets.appSecret(f, key, credential));
    int pageSize = requireNonNullElse(f.pageSize(), d.pageSize());
    if (pageSize < 10 || pageSize > 50) {
      throw new ConfigException(key + ".page_size", pageSize + " is outside Feishu's range 10..50");
    }
    int maxPages = requireNonNullElse(f.maxPages(), d.maxPages());
    if (maxPages < 1 || maxPages > 1_000_000) {
      throw new ConfigException(key + ".max_pages", maxPages + " is outside 1..1000000");
    }
    int maxAttempts = requireNonNullElse(f.maxAttempts(), d.maxAttempts());
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new ConfigException(key + ".max_attempts", maxAttempts + " is outside 1..100");
    }
    return new FeishuSettings(base, f.appId(), d.appSecret(), pageSize, maxPages,
        positive(key + ".connect_timeout", f.connectTimeout(), d.connectTimeout()),
        positive(key + ".response_timeout", f.responseTimeout(), d.responseTimeout()),
        maxAttempts,
        positive(key + ".max_retry_time", f.maxRetryTime(), d.maxRetryTime()),
        positive(key + ".max_rate_limit_wait", f.maxRateLimitWait(), d.maxRateLimitWait()),
        d.maxResponseBytes());
  }

  private static URI baseUrl(String key, String text) {
    String t = switch (text.toLowerCase(Locale.ROOT)) {
      case "feishu" -> FeishuSettings.FEISHU.toString();
      case "lark" -> FeishuSettings.LARK.toString();
      default -> text;
    };
    try {
      URI uri = new URI(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
      boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(t, "expected http(s)://host[:port]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key + ".base_url",
          "'" + text + "' is not a base URL; use feishu, lark, or https://host[:port]");
    }
  }
}
