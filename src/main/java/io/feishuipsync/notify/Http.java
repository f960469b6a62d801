package io.feishuipsync.notify;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/** POSTs JSON with short timeouts and no redirects (a webhook URL is a credential: it must not travel). */
final class Http {

  private static final CloseableHttpClient CLIENT = HttpClients.custom()
      .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
          .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
              .setSocketTimeout(Timeout.ofSeconds(10)).build()).build())
      .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
      .disableRedirectHandling()
      .disableAutomaticRetries()
      .disableCookieManagement()
      .setUserAgent("feishu-ipsync")
      .build();

  private Http() {}

  /** Returns the response body; throws when the status is not 2xx. */
  static String postJson(URI url, String body, Map<String, String> headers) throws IOException {
    HttpPost post = new HttpPost(url);
    headers.forEach(post::setHeader);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
    return CLIENT.execute(post, response -> {
      String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), 4096);
      if (response.getCode() / 100 != 2) {
        throw new IOException("HTTP " + response.getCode());
      }
      return text;
    });
  }

  /** HmacSHA256 of {@code message} under {@code key}, both as UTF-8: what both channels sign with. */
  static byte[] hmacSha256(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException ex) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
    }
  }
}
