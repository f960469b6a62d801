package io.feishuipsync.cli;


/** The {@code feishu-ipsync} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(System.out, System.err, System.getenv()::get, args));
  }
}
