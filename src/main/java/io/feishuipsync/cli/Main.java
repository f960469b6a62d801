package io.feishuipsync.cli;

import java.io.ObjectInputFilter;

/** The {@code feishu-ipsync} command. */
public final class Main {

  private Main() {}

  /**
   * The JVM-wide filter of Java deserialization: nothing the daemon reads is a serialized Java object, so every class
   * is refused (and sizes are capped before any class is seen). The launcher sets the same as {@code
   * -Djdk.serialFilter}; a {@code java -jar} run gets it here.
   */
  static final String SERIAL_FILTER = "maxbytes=65536;maxarray=4096;maxdepth=16;maxrefs=4096;!*";

  public static void main(String[] args) {
    if (ObjectInputFilter.Config.getSerialFilter() == null) {
      ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(SERIAL_FILTER));
    }
    System.exit(Cli.execute(System.out, System.err, System.getenv()::get, args));
  }
}
