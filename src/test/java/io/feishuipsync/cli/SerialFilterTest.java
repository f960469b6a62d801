package io.feishuipsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.testbed.Payloads;
import java.io.ByteArrayInputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The JVM-wide deserialization filter refuses the payload that crash-looped every node: a serialized HashMap whose
 * size field claims 0x3fffffff entries (90-odd bytes that make HashMap.readObject allocate gigabytes).
 */
class SerialFilterTest {

  @Test
  void theHugeHashMapPayloadIsRefusedBeforeAnythingIsAllocated() throws Exception {
    byte[] payload = Payloads.hugeHashMap();
    assertTrue(payload.length < 100, "the payload is " + payload.length + " bytes");
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
      in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(Main.SERIAL_FILTER));
      InvalidClassException e = assertThrows(InvalidClassException.class, in::readObject);
      assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
  }

  @Test
  void theLauncherSetsTheSameFilterAfterTheOperatorsFlags() throws Exception {
    String launcher = Files.readString(Path.of("deploy/debian/feishu-ipsync"));
    assertTrue(launcher.contains("'-Djdk.serialFilter=" + Main.SERIAL_FILTER + "'"), launcher);
    assertEquals(true, launcher.indexOf("$JAVA_OPTS") < launcher.indexOf("-Djdk.serialFilter"),
        "after JAVA_OPTS, so /etc/default cannot turn it off");
  }
}
