package io.feishuipsync.source.github;

import io.feishuipsync.core.Secret;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.BaseUrls;
import io.feishuipsync.source.http.Fetcher;
import java.net.URI;

/**
 * {@code type: github}: the {@code hooks} addresses of GitHub's meta API, where GitHub (or a GitHub Enterprise
 * Server, by {@code base_url}) sends its webhooks from. No credentials are needed; a token raises the rate limit.
 */
public final class GithubSourceType {

  /** GitHub's API, when {@code base_url} is not set. */
  public static final URI GITHUB = URI.create("https://api.github.com");

  /**
   * Its registration in {@code cli.SourceTypes}. GitHub publishes IPv4 /20s and IPv6 /29s (2026): its IPv6 default is
   * wider than Feishu's.
   */
  public static final SourceType<Settings> TYPE = new SourceType<>("github", Settings.class,
      GithubSourceType::create, 16, 24);

  /**
   * Settings of a github sender.
   *
   * @param baseUrl the API root: {@code https://api.github.com} (default), or a GitHub Enterprise Server's
   *     {@code https://HOST/api/v3}
   * @param token an optional token (or {@code token_file}, or the systemd credential {@code token_<name>}) for the
   *     rate limit of an authenticated client
   */
  public record Settings(String baseUrl, String token, String tokenFile) {}

  private GithubSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    String given = s.baseUrl() == null ? GITHUB.toString() : s.baseUrl();
    URI base = BaseUrls.parse("base_url", given, given, "https://api.github.com or https://HOST/api/v3");
    Secret token = context.secret("token", s.token(), s.tokenFile());
    return new GithubSource(base, token, new Fetcher("GitHub", context.key(), Fetcher.Settings.defaults(1 << 20),
        context.sleeper(), context.clock()), context.clock());
  }
}
