package io.feishuipsync.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ConfigException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The metrics section's values are checked where they are used, without the config file around them. */
class MetricsSettingsTest {

  @Test
  void hostPortFormsAndTheTextfileAreRead() {
    assertEquals(new InetSocketAddress("127.0.0.1", 9464), MetricsSettings.from("localhost:9464", null, null).listen());
    assertEquals(new InetSocketAddress("::1", 9464), MetricsSettings.from("[::1]:9464", null, null).listen());
    MetricsSettings file = MetricsSettings.from(null, "/var/lib/node_exporter/feishu.prom", true);
    assertNull(file.listen());
    assertEquals(Path.of("/var/lib/node_exporter/feishu.prom"), file.textfile());
    assertTrue(file.allowSharedDirectory());
    assertFalse(MetricsSettings.from(null, null, null).allowSharedDirectory());
    assertEquals(new MetricsSettings(null, null, false), MetricsSettings.OFF);
  }

  @Test
  void aBadAddressOrTextfileNamesItsKey() {
    ConfigException port = assertThrows(ConfigException.class, () -> MetricsSettings.from("127.0.0.1:70000", null, null));
    assertEquals("metrics.listen", port.key());
    assertEquals("metrics.listen", assertThrows(ConfigException.class,
        () -> MetricsSettings.from("everywhere", null, null)).key());
    assertEquals("metrics.textfile", assertThrows(ConfigException.class,
        () -> MetricsSettings.from(null, "relative.prom", null)).key());
    assertEquals("metrics.textfile", assertThrows(ConfigException.class,
        () -> MetricsSettings.from(null, "/tmp/x.txt", null)).key());
  }
}
