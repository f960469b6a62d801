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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

  /** Relays each connection to {@code target}, replacing {@code from} by {@code to} (same length) in requests. */
  static ServerSocket relay(int target, String from, String to) throws IOException {
    ServerSocket listen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(() -> {
      while (!listen.isClosed()) {
        try {
          Socket client = listen.accept();
          Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
          daemon(() -> pipe(client, server, from, to));
          daemon(() -> pipe(server, client, from, from));
        } catch (IOException e) {
          return;
        }
      }
    });
    return listen;
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "relay");
    t.setDaemon(true);
    t.start();
  }

  private static void pipe(Socket in, Socket out, String from, String to) {
    byte[] buf = new byte[65536];
    try (InputStream i = in.getInputStream(); OutputStream o = out.getOutputStream()) {
      for (int n; (n = i.read(buf)) > 0; ) {
        // ISO-8859-1 maps bytes to chars one to one, so the replacement keeps every other byte as it was.
        String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1).replace(from, to);
        o.write(chunk.getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
      }
    } catch (IOException e) {
      // The other side closed; the relay ends with it.
    }
  }

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
      try (ServerSocket plain = relay(port, GROUP, GROUP)) {
        converge(writer(plain.getLocalPort()), first(2));
      }
      assertEquals(2, ecs.rules(GROUP).size());
      assertEquals(List.of(), ecs.rejected);
      try (ServerSocket tampering = relay(port, GROUP, OTHER)) {
        WriterException e = assertThrows(WriterException.class, () -> writer(tampering.getLocalPort()).check());
        assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
      }
      assertEquals(List.of("SignatureDoesNotMatch: Specified signature does not match our calculation."),
          ecs.rejected);
      assertEquals(List.of(), ecs.rules(OTHER));
    }
  }
}
