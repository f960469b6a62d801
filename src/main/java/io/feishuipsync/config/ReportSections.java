package io.feishuipsync.config;

import io.feishuipsync.metrics.MetricsSettings;
import io.feishuipsync.notify.ChannelSettings;
import io.feishuipsync.notify.NotifySettings;
import java.net.URI;
import java.time.Duration;

/**
 * Reads the {@code metrics} and {@code notify} sections into the settings of the packages that use them; those
 * packages check the values, this class only unwraps the parsed file (so they need not know it).
 */
final class ReportSections {

  private ReportSections() {
  }

  /** The {@code metrics} section; absent means off. */
  static MetricsSettings metrics(RawConfig.Metrics m) {
    return m == null ? MetricsSettings.OFF : MetricsSettings.from(m.listen(), m.textfile(), m.allowSharedDirectory());
  }

  /** The {@code notify} section, its secrets resolved by {@code secrets}; absent means off. */
  static NotifySettings notify(RawConfig.Notify n, Secrets secrets) {
    if (n == null) {
      return NotifySettings.OFF;
    }
    int failures = NotifySettings.failuresBeforeAlert(n.failuresBeforeAlert());
    Duration interval = NotifySettings.minInterval(n.minInterval());
    return new NotifySettings(channel("notify.feishu_bot", n.feishuBot(), "feishu_bot_secret", secrets),
        channel("notify.webhook", n.webhook(), "webhook_secret", secrets), failures, interval);
  }

  /** The channel at {@code key}, or null; its secret may also be the systemd credential {@code credential}. */
  private static ChannelSettings channel(String key, RawConfig.Channel c, String credential, Secrets secrets) {
    if (c == null) {
      return null;
    }
    URI url = ChannelSettings.url(key, c.url());
    return new ChannelSettings(url, secrets.channelSecret(key, c, credential));
  }
}
