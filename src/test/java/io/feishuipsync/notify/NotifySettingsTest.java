package io.feishuipsync.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Secret;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The notify section's values are checked where they are used, without the config file around them. */
class NotifySettingsTest {

  @Test
  void absentValuesTakeTheDefaultsAndNoChannelIsOff() {
    assertEquals(3, NotifySettings.failuresBeforeAlert(null));
    assertEquals(Duration.ofMinutes(10), NotifySettings.minInterval(null));
    assertEquals(Duration.ofHours(1), NotifySettings.minInterval("1h"));
    assertTrue(NotifySettings.OFF.off());
    assertFalse(new NotifySettings(null, new ChannelSettings(URI.create("https://hooks.example.test/x"), null), 3,
        Duration.ofMinutes(10)).off());
  }

  @Test
  void badValuesNameTheirKey() {
    assertEquals("notify.failures_before_alert",
        assertThrows(ConfigException.class, () -> NotifySettings.failuresBeforeAlert(0)).key());
    assertEquals("notify.failures_before_alert",
        assertThrows(ConfigException.class, () -> NotifySettings.failuresBeforeAlert(1001)).key());
    assertEquals("notify.min_interval",
        assertThrows(ConfigException.class, () -> NotifySettings.minInterval("soon")).key());
    assertEquals("notify.webhook.url",
        assertThrows(ConfigException.class, () -> ChannelSettings.url("notify.webhook", null)).key());
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWithoutRepeatingItsToken() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ChannelSettings.url("notify.feishu_bot", "ftp://open.feishu.test/hook/token-in-path"));
    assertEquals("notify.feishu_bot.url", e.key());
    assertFalse(e.getMessage().contains("token-in-path"), e.getMessage());
    URI ok = ChannelSettings.url("notify.feishu_bot", "https://open.feishu.test/hook/token-in-path");
    ChannelSettings c = new ChannelSettings(ok, Secret.of("s3cret"));
    assertEquals("Channel[open.feishu.test]", c.toString());
  }
}
