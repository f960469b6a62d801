package io.feishuipsync.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Secret;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;

/** A Feishu (Lark) custom bot: a text message, signed when the bot has a signing secret. */
record FeishuBotChannel(ChannelTarget target) implements Channel {

  @Override
  public String name() {
    return "feishu bot at " + target.host();
  }

  @Override
  public void send(Event e) throws IOException {
    ObjectNode body = ChannelTarget.body();
    String timestamp = target.signingTimestamp();
    if (timestamp != null) {
      body.put("timestamp", timestamp);
      body.put("sign", sign(timestamp, target.secret()));
    }
    body.put("msg_type", "text");
    body.putObject("content").put("text", "[feishu-ipsync] " + e.text());
    String text = Http.postJson(target.url(), body.toString(), Map.of());
    JsonNode answer;
    try {
      answer = ChannelTarget.json().readTree(text);
    } catch (IOException ex) {
      throw new IOException("the bot's answer is not JSON: " + Sanitize.text(text, 120));
    }
    int code = answer.has("code") ? answer.path("code").asInt() : answer.path("StatusCode").asInt(0);
    if (code != 0) {
      throw new IOException("the bot answered code " + code + ": " + Sanitize.text(answer.path("msg").asText("")));
    }
  }

  /** Feishu's bot signature: base64(HmacSHA256(key = timestamp + "\n" + secret, message = empty)). */
  static String sign(String timestamp, Secret secret) {
    return Base64.getEncoder().encodeToString(Http.hmacSha256(timestamp + "\n" + secret.reveal(), ""));
  }
}
