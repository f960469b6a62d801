package io.feishuipsync.notify;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.net.URI;
import java.net.URISyntaxException;

/** A webhook URL (a credential itself: never logged) and its optional signing secret. */
public record ChannelSettings(URI url, Secret secret) {

  /** Checks the channel's URL at {@code key} ({@code notify.feishu_bot}, {@code notify.webhook}): http(s) with a host. */
  public static URI url(String key, String text) {
    if (text == null) {
      throw new ConfigException(key + ".url", "missing");
    }
    URI url;
    try {
      url = new URI(text);
      if (url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        throw new URISyntaxException(text, "not http(s)");
      }
    } catch (URISyntaxException e) {
      // The URL may hold a token: do not repeat it.
      throw new ConfigException(key + ".url", "is not an http(s) URL");
    }
    return url;
  }

  @Override
  public String toString() {
    return "Channel[" + url.getHost() + "]";
  }
}
