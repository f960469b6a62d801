package io.feishuipsync.writer.aliyun;

import io.feishuipsync.writer.WriterContext;
import static io.feishuipsync.core.Addresses.first;
import static io.feishuipsync.writer.WriterFixtures.converge;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import io.feishuipsync.writer.Relay;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * That {@link FakeEcs} checks what the real service checks: requests the SDK signed pass through a byte-for-byte
 * relay unchanged, and fail the signature check when the relay changes one parameter on the way.
 */
class FakeEcsSignatureTest {

  static final WriterContext NO_CREDENTIALS =
      new WriterContext(null, java.nio.file.Path.of("/tmp"), java.util.TreeSet::new, false, null);

  static final String GROUP = "sg-bp1fakegroup0001";
  static final String OTHER = "sg-bp1fakegroup0002";

  Writer writer(int port) {
    AliyunConnection c = AliyunConnection.of(FakeEcs.REGION, "http://127.0.0.1:" + port, FakeEcs.ACCESS_KEY_ID,
        FakeEcs.ACCESS_KEY_SECRET, null, NO_CREDENTIALS);
    return new EcsSecurityGroupWriter(new EcsSecurityGroupWriter.Target(FakeEcs.REGION, List.of(GROUP),
        List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 200), c::client, d -> { }, 10);
  }

  @Test
  void anUnchangedRequestPassesAndAChangedParameterFailsTheSignature() throws Exception {
    try (FakeEcs ecs = new FakeEcs()) {
      ecs.addGroup(GROUP, 200);
      ecs.addGroup(OTHER, 200);
      int port = Integer.parseInt(ecs.endpoint().replaceAll(".*:", ""));
      try (ServerSocket plain = Relay.of(port, GROUP, GROUP)) {
        converge(writer(plain.getLocalPort()), first(2));
      }
      assertEquals(2, ecs.rules(GROUP).size());
      assertEquals(List.of(), ecs.rejected);
      try (ServerSocket tampering = Relay.of(port, GROUP, OTHER)) {
        WriterException e = assertThrows(WriterException.class, () -> writer(tampering.getLocalPort()).check());
        assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
      }
      assertEquals(List.of("SignatureDoesNotMatch: Specified signature does not match our calculation."),
          ecs.rejected);
      assertEquals(List.of(), ecs.rules(OTHER));
    }
  }
}
