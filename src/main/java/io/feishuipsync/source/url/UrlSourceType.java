package io.feishuipsync.source.url;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.EntryPolicy;
import io.feishuipsync.core.Secret;
import io.feishuipsync.source.Source;
import io.feishuipsync.source.SourceContext;
import io.feishuipsync.source.SourceType;
import io.feishuipsync.source.http.Fetcher;
import io.feishuipsync.source.http.ListFormat;
import io.feishuipsync.source.http.PublishedList;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code type: url}: any list published at a URL, for the senders nobody wrote a source for: one address per line,
 * or JSON with a pointer to the array (Atlassian's, AWS's). HTTPS only, except to this host (a mirror or a test).
 */
public final class UrlSourceType {

  /** Its registration in {@code cli.SourceTypes}: held to the top-level validation, Feishu's prefix lengths. */
  public static final SourceType<Settings> TYPE = new SourceType<>("url", Settings.class, UrlSourceType::create,
      EntryPolicy.DEFAULT_MIN_PREFIX_V4, EntryPolicy.DEFAULT_MIN_PREFIX_V6);

  /** Published lists such as AWS's ip-ranges.json run to a few MB. */
  static final int MAX_BYTES = 16 << 20;

  /**
   * Settings of a url sender.
   *
   * @param url where the list is: {@code https://...} ({@code http://} to this host only)
   * @param format {@code lines} (default) or {@code json}
   * @param pointer for JSON, the RFC 6901 pointer to the array, e.g. {@code /prefixes}
   * @param field for a list of tagged objects, the member to filter on (with {@code match})
   * @param match the value {@code field} must hold
   * @param addressField the member holding an object's address (default: the first of cidr, ip_prefix, ...)
   * @param token an optional bearer token (or {@code token_file}, or the systemd credential {@code token_<name>})
   */
  public record Settings(String url, String format, String pointer, String field, String match, String addressField,
      String token, String tokenFile) {}

  private UrlSourceType() {}

  private static Source create(Settings s, SourceContext context) {
    URI url = url(s.url());
    ListFormat format = ListFormat.of(s.format(), s.pointer(), s.field(), s.match(), s.addressField());
    Secret token = context.secret("token", s.token(), s.tokenFile());
    String who = "the list at " + url.getHost();
    return new PublishedList(url, format, token, new Fetcher(who, context.key(), Fetcher.Settings.defaults(MAX_BYTES),
        context.sleeper(), context.clock()), context.clock());
  }

  private static URI url(String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException("url", "missing; where the list is published, e.g. https://example.com/ips.txt");
    }
    try {
      URI u = new URI(text.strip());
      if (u.getHost() == null || u.getRawUserInfo() != null || u.getRawFragment() != null
          || !("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && loopback(u.getHost())))) {
        throw new URISyntaxException(text, "not https");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new ConfigException("url", "'" + text + "' is not an https:// URL without user info (http:// only to"
          + " this host)");
    }
  }

  private static boolean loopback(String host) {
    try {
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      // Only a literal address: a name is not looked up at config time, nor trusted to stay on this host.
      return h.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
