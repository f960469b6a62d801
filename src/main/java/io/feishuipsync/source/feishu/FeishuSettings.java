package io.feishuipsync.source.feishu;

import io.feishuipsync.core.Secret;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach Feishu and how hard to try.
 *
 * @param baseUrl {@code https://open.feishu.cn}, {@code https://open.larksuite.com}, or a test server
 * @param appId the app's id
 * @param appSecret the app's secret
 * @param pageSize entries per page, 10..50
 * @param maxPages pages after which a listing is abandoned as looping
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout time allowed for each answer
 * @param maxAttempts attempts per request for retryable failures (5xx, 429, I/O), at least 1
 * @param maxRetryTime total time a fetch may spend waiting between retries
 * @param maxRateLimitWait longest single wait honoured from {@code x-ogw-ratelimit-reset}
 * @param maxResponseBytes answers larger than this are refused before they are read whole
 */
public record FeishuSettings(
    URI baseUrl,
    String appId,
    Secret appSecret,
    int pageSize,
    int maxPages,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxAttempts,
    Duration maxRetryTime,
    Duration maxRateLimitWait,
    long maxResponseBytes) {

  public static final URI FEISHU = URI.create("https://open.feishu.cn");
  public static final URI LARK = URI.create("https://open.larksuite.com");
  /** A page of 50 entries is a few KB; an error page far less. Bounds the heap a hostile answer can take. */
  public static final long MAX_RESPONSE_BYTES = 1024L * 1024;

  /** Defaults for everything but the endpoint and credentials. */
  public static FeishuSettings defaults(URI baseUrl, String appId, Secret appSecret) {
    return new FeishuSettings(baseUrl, appId, appSecret, 50, 2100, Duration.ofSeconds(10), Duration.ofSeconds(30),
        5, Duration.ofMinutes(5), Duration.ofMinutes(2), MAX_RESPONSE_BYTES);
  }
}
