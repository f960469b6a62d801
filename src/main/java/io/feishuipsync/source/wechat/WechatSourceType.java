package io.feishuipsync.source.wechat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.Secret;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.BaseUrls;
import io.feishuipsync.source.http.CallbackIpApi;
import io.feishuipsync.source.http.Fetcher;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * {@code type: wechat}: the addresses the WeChat Official Account platform sends its callbacks from ({@code
 * /cgi-bin/getcallbackip}). The access token comes from the stable token endpoint ({@code /cgi-bin/stable_token},
 * never forced): several hosts asking for it share one token instead of each invalidating the others'.
 */
public final class WechatSourceType {

  /** WeChat's API, when {@code base_url} is not set. */
  public static final URI WECHAT = URI.create("https://api.weixin.qq.com");

  /** Its registration in {@code cli.SourceTypes}. */
  public static final SourceType<Settings> TYPE = new SourceType<>("wechat", Settings.class,
      WechatSourceType::create, EntryPolicy.DEFAULT_MIN_PREFIX_V4, EntryPolicy.DEFAULT_MIN_PREFIX_V6);

  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to do about each refusal of the token request (the platform's global error codes). */
  private static final Map<Long, String> REFUSALS = Map.of(
      40013L, "the app_id is not an Official Account's AppID",
      40125L, "the app_secret is wrong (Settings and Development > Basic Configuration)",
      40001L, "the app_secret is wrong, or was reset",
      40164L, "this host's address is not on the account's IP whitelist (Basic Configuration)",
      40243L, "the app_secret is frozen",
      89503L, "this host's address needs an administrator's confirmation");

  /**
   * Settings of a wechat sender.
   *
   * @param baseUrl {@code https://api.weixin.qq.com} (default), or a mirror or stand-in
   * @param appId the Official Account's AppID
   * @param appSecret its AppSecret (or {@code app_secret_file}, or the systemd credential {@code app_secret_<name>})
   */
  public record Settings(String baseUrl, String appId, String appSecret, String appSecretFile) {}

  private WechatSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    String given = s.baseUrl() == null ? WECHAT.toString() : s.baseUrl();
    URI base = BaseUrls.parse("base_url", given, given, "https://api.weixin.qq.com or https://host[:port]");
    if (s.appId() == null || s.appId().isBlank()) {
      throw new ConfigException("app_id", "missing; the Official Account's AppID, e.g. wx0123456789abcdef");
    }
    if (!APP_ID.matcher(s.appId()).matches()) {
      throw new ConfigException("app_id", "'" + s.appId() + "' is not an AppID (letters, digits, _ and -)");
    }
    Secret secret = context.requiredSecret("app_secret", s.appSecret(), s.appSecretFile(), "${WECHAT_APP_SECRET}");
    String id = s.appId();
    return new CallbackIpApi("WeChat", base, () -> {
      ObjectNode body = JSON.createObjectNode().put("grant_type", "client_credential").put("appid", id)
          .put("secret", secret.reveal()).put("force_refresh", false);
      HttpPost post = new HttpPost(base + "/cgi-bin/stable_token");
      post.setEntity(new StringEntity(body.toString(), ContentType.APPLICATION_JSON));
      return post;
    }, REFUSALS, new Fetcher("WeChat", context.key(), Fetcher.Settings.defaults(1 << 20), context.sleeper(),
        context.clock()), context.clock());
  }
}
