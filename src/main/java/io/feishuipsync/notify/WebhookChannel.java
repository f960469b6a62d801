package io.feishuipsync.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook. With a secret, each request carries {@code X-Feishu-Ipsync-Timestamp} and
 * {@code X-Feishu-Ipsync-Signature: sha256=hex(HmacSHA256(secret, timestamp + "." + body))}.
 */
final class WebhookChannel implements Channel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final Secret secret;
  private final Clock clock;

  WebhookChannel(URI url, Secret secret, Clock clock) {
    this.url = url;
    this.secret = secret;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "webhook at " + url.getHost();
  }

  @Override
  public void send(Event e) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("source", "feishu-ipsync");
    body.put("event", e.kind());
    body.put("time", clock.instant().toString());
    body.put("text", e.text());
    body.put("total", e.total());
    e.added().forEach(body.withArray("added")::add);
    e.removed().forEach(body.withArray("removed")::add);
    body.put("consecutive_failures", e.consecutiveFailures());
    String text = body.toString();
    Map<String, String> headers = new LinkedHashMap<>();
    if (secret != null) {
      String timestamp = Long.toString(clock.instant().getEpochSecond());
      headers.put("X-Feishu-Ipsync-Timestamp", timestamp);
      headers.put("X-Feishu-Ipsync-Signature", "sha256=" + sign(secret, timestamp + "." + text));
    }
    Http.postJson(url, text, headers);
  }

  static String sign(Secret secret, String message) {
    return HexFormat.of().formatHex(Http.hmacSha256(secret.reveal(), message));
  }
}
