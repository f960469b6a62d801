package io.feishuipsync.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener against hostile clients on loopback, with raw sockets: clients that never finish their headers, that
 * drip them a byte at a time, that open more connections than their share, or that send too much. The real client
 * connects from another loopback address (127.0.0.2), as a firewall would from its own.
 */
class BoundedServerTest {

  static final Handler HELLO = new Handler.Abstract.NonBlocking() {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      response.setStatus(200);
      response.write(true, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  };

  static final String PARTIAL = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

  final List<Socket> sockets = new ArrayList<>();
  BoundedServer server;

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  void start(BoundedServer.Limits limits) throws IOException {
    server = BoundedServer.start("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, null,
        HELLO);
  }

  Socket connect(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(server.address(), 2000);
    s.setSoTimeout(15_000);
    sockets.add(s);
    return s;
  }

  /** One whole request from {@code from}: the status line of the answer, or what went wrong. */
  String request(String from) throws IOException {
    Socket s = connect(from);
    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    s.close();
    return answer.isEmpty() ? "closed" : answer.lines().findFirst().orElseThrow();
  }

  /** Blocks until the server closes {@code s}; how long that took. */
  static Duration closedAfter(Socket s) throws IOException {
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // An error answer may come before the close.
      }
    } catch (SocketException e) {
      // Reset: closed too.
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void clientsThatNeverFinishTheirHeadersCannotKeepARealOneOut() throws Exception {
    start(BoundedServer.Limits.DEFAULTS);
    // Far more than the 4 that took the JDK server down, from one address and from several.
    for (int i = 0; i < 40; i++) {
      connect(i < 20 ? "127.0.0.1" : "127.0.0." + (10 + i % 4)).getOutputStream()
          .write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals("HTTP/1.1 200 OK", request("127.0.0.2"), "request " + i);
    }
  }

  @Test
  void aConnectionIsClosedAtItsDeadlineEvenWhenItNeverFallsIdle() throws Exception {
    start(new BoundedServer.Limits(64, 8, Duration.ofSeconds(1), 8192));
    Socket drip = connect("127.0.0.1");
    OutputStream out = drip.getOutputStream();
    out.write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
    Thread dripper = new Thread(() -> {
      try {
        for (int i = 0; i < 100; i++) {
          out.write('a');
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        // Closed by the server: what the test waits for.
      }
    });
    dripper.setDaemon(true);
    dripper.start();
    Duration took = closedAfter(drip);
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "closed after " + took);
    Socket silent = connect("127.0.0.1");
    assertTrue(closedAfter(silent).compareTo(Duration.ofSeconds(5)) < 0);
  }

  @Test
  void oneClientGetsItsShareOfConnectionsAndNoMore() throws Exception {
    start(new BoundedServer.Limits(64, 3, Duration.ofSeconds(10), 8192));
    for (int i = 0; i < 3; i++) {
      connect("127.0.0.1").getOutputStream().write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
    }
    // The server takes connections up as it accepts them, in no set order: let it see the first three.
    Thread.sleep(300);
    assertEquals("closed", request("127.0.0.1"), "the fourth from the same address is closed at once");
    assertEquals("HTTP/1.1 200 OK", request("127.0.0.2"), "another address is served");
    sockets.get(0).close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String again = request("127.0.0.1");
    while (!again.equals("HTTP/1.1 200 OK") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      again = request("127.0.0.1");
    }
    assertEquals("HTTP/1.1 200 OK", again, "a closed connection gives its place back");
  }

  @Test
  void oneRequestPerConnectionAndOversizedHeadersAreRefused() throws Exception {
    start(BoundedServer.Limits.DEFAULTS);
    Socket s = connect("127.0.0.2");
    String twice = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    s.getOutputStream().write(twice.getBytes(StandardCharsets.US_ASCII));
    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertEquals(1, answer.split("HTTP/1.1 200", -1).length - 1, answer);
    assertTrue(answer.contains("Connection: close"), answer);

    Socket big = connect("127.0.0.2");
    big.getOutputStream().write(("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String refused = new String(big.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertTrue(refused.startsWith("HTTP/1.1 431"), refused.lines().findFirst().orElse("closed"));
  }

  /** The server closes each connection, so its side waits in TIME_WAIT: a restart must still get the port. */
  @Test
  void aRestartRightAfterServingGetsThePortBack() throws Exception {
    start(BoundedServer.Limits.DEFAULTS);
    int port = server.address().getPort();
    for (int i = 0; i < 5; i++) {
      assertEquals("HTTP/1.1 200 OK", request("127.0.0.2"));
    }
    server.close();
    server = BoundedServer.start("t", new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        BoundedServer.Limits.DEFAULTS, null, HELLO);
    assertEquals("HTTP/1.1 200 OK", request("127.0.0.2"));
  }

  @Test
  void beyondTheConnectionCapNewClientsWaitForAPlaceInsteadOfFailing() throws Exception {
    start(new BoundedServer.Limits(4, 8, Duration.ofSeconds(1), 8192));
    for (int i = 0; i < 4; i++) {
      connect("127.0.0." + (10 + i)).getOutputStream().write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
    }
    long start = System.nanoTime();
    assertEquals("HTTP/1.1 200 OK", request("127.0.0.2"));
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "waited " + waited);
  }
}
