package io.feishuipsync.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.core.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channels without a secret send unsigned requests to a real local server, and name only the host. */
class UnsignedChannelsTest {

  static final Event EVENT = new Event("changed", "2 entries", 2, List.of("198.51.100.1/32"), List.of(), 0);

  HttpServer server;
  JsonNode body;
  Headers headers;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      body = new ObjectMapper().readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      headers = ex.getRequestHeaders();
      byte[] out = "{\"code\":0}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  ChannelTarget target(String path) {
    return new ChannelTarget(new ChannelSettings(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), null), new MutableClock());
  }

  @Test
  void botWithoutSecretSendsNoTimestampOrSignature() throws Exception {
    Channel bot = new FeishuBotChannel(target("/open-apis/bot/v2/hook/token-in-path"));
    bot.send(EVENT);
    assertEquals("text", body.path("msg_type").asText());
    assertEquals("[feishu-ipsync] 2 entries", body.path("content").path("text").asText());
    assertFalse(body.has("timestamp") || body.has("sign"), body.toString());
    assertEquals("feishu bot at 127.0.0.1", bot.name());
  }

  @Test
  void webhookWithoutSecretSendsNoSignatureHeaders() throws Exception {
    Channel hook = new WebhookChannel(target("/hook/token-in-path"));
    hook.send(EVENT);
    assertEquals("changed", body.path("event").asText());
    assertEquals("198.51.100.1/32", body.path("added").path(0).asText());
    assertNull(headers.getFirst("X-Feishu-Ipsync-Timestamp"));
    assertNull(headers.getFirst("X-Feishu-Ipsync-Signature"));
    assertEquals("webhook at 127.0.0.1", hook.name());
  }
}
