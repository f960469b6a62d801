package io.feishuipsync.source.wecom;

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
import org.apache.hc.client5.http.classic.methods.HttpGet;

/**
 * {@code type: wecom}: the addresses WeCom (企业微信) sends an app's callbacks from ({@code /cgi-bin/getcallbackip}),
 * behind an access token of the corp's id and an app's secret ({@code /cgi-bin/gettoken}).
 */
public final class WecomSourceType {

  /** WeCom's API, when {@code base_url} is not set. */
  public static final URI WECOM = URI.create("https://qyapi.weixin.qq.com");

  /** Its registration in {@code cli.SourceTypes}. */
  public static final SourceType<Settings> TYPE = new SourceType<>("wecom", Settings.class, WecomSourceType::create,
      EntryPolicy.DEFAULT_MIN_PREFIX_V4, EntryPolicy.DEFAULT_MIN_PREFIX_V6);

  private static final Pattern CORP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** What to do about each refusal of the token request (WeCom's global error codes). */
  private static final Map<Long, String> REFUSALS = Map.of(
      40013L, "the corp_id is not a WeCom corp id (My Company > Company Information > Company ID)",
      40001L, "the corp_secret is wrong (the app's Secret, under App Management)",
      40091L, "the corp_secret is not a valid secret",
      41002L, "the corp_id is missing",
      41004L, "the corp_secret is missing",
      60020L, "this host's address is not among the app's trusted IPs");

  /**
   * Settings of a wecom sender.
   *
   * @param baseUrl {@code https://qyapi.weixin.qq.com} (default), or a mirror or stand-in
   * @param corpId the corp's id ({@code corpid})
   * @param corpSecret an app's secret ({@code corpsecret}; or {@code corp_secret_file}, or the systemd credential
   *     {@code corp_secret_<name>})
   */
  public record Settings(String baseUrl, String corpId, String corpSecret, String corpSecretFile) {}

  private WecomSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    String given = s.baseUrl() == null ? WECOM.toString() : s.baseUrl();
    URI base = BaseUrls.parse("base_url", given, given, "https://qyapi.weixin.qq.com or https://host[:port]");
    if (s.corpId() == null || s.corpId().isBlank()) {
      throw new ConfigException("corp_id", "missing; the corp's id, e.g. ww0123456789abcdef");
    }
    if (!CORP_ID.matcher(s.corpId()).matches()) {
      throw new ConfigException("corp_id", "'" + s.corpId() + "' is not a corp id (letters, digits, _ and -)");
    }
    Secret secret = context.requiredSecret("corp_secret", s.corpSecret(), s.corpSecretFile(), "${WECOM_SECRET}");
    String id = s.corpId();
    return new CallbackIpApi("WeCom", base, () -> new HttpGet(base + "/cgi-bin/gettoken?corpid="
        + CallbackIpApi.query(id) + "&corpsecret=" + CallbackIpApi.query(secret.reveal())), REFUSALS,
        new Fetcher("WeCom", context.key(), Fetcher.Settings.defaults(1 << 20), context.sleeper(), context.clock()),
        context.clock());
  }
}
