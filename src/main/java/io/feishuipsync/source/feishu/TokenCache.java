package io.feishuipsync.source.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tenant access token: fetched when missing, reused until shortly before it expires, never quoted. */
final class TokenCache {

  private static final Logger log = LoggerFactory.getLogger(FeishuClient.class);

  /** SDKs refresh the token this long before it expires. */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(3);
  /** Feishu's tokens live 2 hours; a longer promise is not believed. */
  private static final long TOKEN_LIFE_MAX_SECONDS = 7200;
  /** Tokens travel in a header: visible ASCII only, bounded. */
  private static final Pattern TOKEN_TEXT = Pattern.compile("[\\x21-\\x7e]{1,2048}");

  private final FeishuSettings settings;
  private final Clock clock;
  private final Retries retries;
  private String token;
  private Instant refreshAt = Instant.MIN;

  TokenCache(FeishuSettings settings, Clock clock, Retries retries) {
    this.settings = settings;
    this.clock = clock;
    this.retries = retries;
  }

  /** Drops the cached token: the next {@link #get} asks Feishu for a new one. */
  void forget() {
    token = null;
  }

  /** A token valid for a while yet, from the cache or from Feishu. */
  String get(Retries.Attempts attempts) throws SourceException {
    if (token != null && clock.instant().isBefore(refreshAt)) {
      return token;
    }
    ObjectNode body = AnswerReader.JSON.createObjectNode();
    body.put("app_id", settings.appId());
    body.put("app_secret", settings.appSecret().reveal());
    HttpPost post = new HttpPost(settings.baseUrl() + FeishuClient.TOKEN_PATH);
    post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
    Answer a = retries.send(post, "token", attempts);
    if (a.code() == null) {
      throw a.invalid("the token answer has no integer code");
    }
    if (a.code() != 0) {
      throw new SourceException("Feishu rejected the app credentials: check feishu.app_id (" + settings.appId()
          + ") and the app secret", a.status(), a.code(), a.msg(), a.logId(), null);
    }
    JsonNode t = a.body().path("tenant_access_token");
    if (!t.isTextual() || !TOKEN_TEXT.matcher(t.asText()).matches()) {
      // Never quote it: it may be a real token.
      throw a.invalid("the token answer has no usable tenant_access_token");
    }
    JsonNode expire = a.body().path("expire");
    if (!expire.isIntegralNumber() || !expire.canConvertToLong() || expire.asLong() <= 0) {
      throw a.invalid("the token answer's expire " + Sanitize.text(expire.toString(), 32)
          + " is not a positive number of seconds");
    }
    long seconds = expire.asLong();
    if (seconds > TOKEN_LIFE_MAX_SECONDS) {
      log.warn("Feishu says the token lives {} s; using Feishu's documented {} s", seconds, TOKEN_LIFE_MAX_SECONDS);
      seconds = TOKEN_LIFE_MAX_SECONDS;
    }
    token = t.asText();
    Duration life = Duration.ofSeconds(seconds);
    Duration margin = life.compareTo(TOKEN_MARGIN.multipliedBy(2)) > 0 ? TOKEN_MARGIN : life.dividedBy(2);
    refreshAt = clock.instant().plus(life).minus(margin);
    log.debug("new tenant token, valid for {}s", seconds);
    return token;
  }
}
