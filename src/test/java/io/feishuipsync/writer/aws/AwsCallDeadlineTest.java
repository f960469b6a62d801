package io.feishuipsync.writer.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.PortRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An EC2 endpoint on loopback that begins a well-formed answer and then sends a space every half second, never
 * finishing it: each read is in time, so
 * only the call's own deadline can end it. The writer's read ends by that deadline with one line, instead of
 * holding the run for ever.
 */
class AwsCallDeadlineTest {

  @Test
  void anEndpointThatDripsItsAnswerIsCutOffAtTheCallsDeadline() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread drip = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            in.read(buf);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: 100000\r\n\r\n"
                + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeSecurityGroupRulesResponse>")
                .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
              out.write(' ');
              out.flush();
              Thread.sleep(500);
            }
          } catch (IOException e) {
            // the client gave up; take the next one
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "drip");
      drip.setDaemon(true);
      drip.start();
      AwsConnection c = AwsConnection.of("eu-west-1", "http://127.0.0.1:" + server.getLocalPort(), null,
          "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
      SecurityGroupWriter w = new SecurityGroupWriter(List.of("sg-0aaaaaaaaaaaaaaaa"),
          List.of(new PortRange(443, 443)), "tcp", "feishu-ipsync", 60,
          () -> c.client(Duration.ofSeconds(2), Duration.ofSeconds(4)), d -> { });
      long t0 = System.nanoTime();
      WriterException e = assertTimeoutPreemptively(Duration.ofSeconds(40),
          () -> assertThrows(WriterException.class, w::read));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 20_000, "ended by the call's deadline: " + ms + " ms");
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().contains("timeout"), e.getMessage());
      assertTrue(!e.getMessage().contains("wJalrXUtnFEMI"), e.getMessage());
    }
  }
}
