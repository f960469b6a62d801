package io.feishuipsync.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook. With a secret, each request carries {@code X-Feishu-Ipsync-Timestamp} and
 * {@code X-Feishu-Ipsync-Signature: sha256=hex(HmacSHA256(secret, timestamp + "." + body))}.
 */
record WebhookChannel(ChannelTarget target) implements Channel {

  @Override
  public String name() {
    return "webhook at " + target.host();
  }

  @Override
  public void send(Event e) throws IOException {
    ObjectNode body = ChannelTarget.body();
    body.put("source", "feishu-ipsync");
    body.put("event", e.kind());
    body.put("time", target.now().toString());
    body.put("text", e.text());
    body.put("total", e.total());
    e.added().forEach(body.withArray("added")::add);
    e.removed().forEach(body.withArray("removed")::add);
    body.put("consecutive_failures", e.consecutiveFailures());
    String text = body.toString();
    Map<String, String> headers = new LinkedHashMap<>();
    String timestamp = target.signingTimestamp();
    if (timestamp != null) {
      headers.put("X-Feishu-Ipsync-Timestamp", timestamp);
      headers.put("X-Feishu-Ipsync-Signature", "sha256=" + sign(target.secret(), timestamp + "." + text));
    }
    Http.postJson(target.url(), text, headers);
  }

  static String sign(Secret secret, String message) {
    return HexFormat.of().formatHex(Http.hmacSha256(secret.reveal(), message));
  }
}
