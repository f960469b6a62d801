package io.feishuipsync.source.http;

import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client every sender's API is asked with: each connect and each read bounded in time, the headers bounded
 * in size as bodies are, and nothing done behind the caller's back (no retries, redirects, cookies or compression).
 */
public final class BoundedClient {

  /** Longest header line read. */
  public static final int MAX_HEADER_LINE = 16 * 1024;
  /** Most header lines read. */
  public static final int MAX_HEADERS = 100;

  private BoundedClient() {}

  /** A client connecting within {@code connect} and waiting at most {@code response} for each read. */
  public static CloseableHttpClient build(Duration connect, Duration response) {
    Timeout read = Timeout.of(response);
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connect))
                .setSocketTimeout(read)
                .build())
            // Headers are buffered whole: bound them as the body is bounded.
            .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                .http1Config(Http1Config.custom().setMaxLineLength(MAX_HEADER_LINE).setMaxHeaderCount(MAX_HEADERS)
                    .build())
                .build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build())
        // Retries are the caller's (bounded, logged); a redirect could carry a token to another host.
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableContentCompression()
        .setUserAgent("feishu-ipsync")
        .build();
  }
}
