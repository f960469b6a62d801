package io.feishuipsync.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;

/** Hostile inputs that more than one test plants. */
public final class Payloads {

  private Payloads() {}

  /**
   * An empty HashMap serialized, its mapping count patched to 0x3fffffff: under 100 bytes that make
   * {@code HashMap.readObject} allocate gigabytes, and a JVM without a deserialization filter end in
   * OutOfMemoryError.
   */
  public static byte[] hugeHashMap() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HashMap<String, String>());
    }
    byte[] b = bytes.toByteArray();
    // HashMap.writeObject ends with writeInt(buckets), writeInt(size) in a block-data record, then TC_ENDBLOCKDATA.
    ByteBuffer.wrap(b).putInt(b.length - 5, 0x3fffffff);
    return b;
  }
}
