package io.feishuipsync.writer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A byte-for-byte TCP relay on loopback that may change one string of the requests on the way: what shows that a
 * cloud stand-in's signature check bites (a request the SDK signed passes unchanged, and fails once one parameter
 * is changed).
 */
public final class Relay {

  private Relay() {}

  /** Relays each connection to {@code target}, replacing {@code from} by {@code to} (same length) in requests. */
  public static ServerSocket of(int target, String from, String to) throws IOException {
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

}
