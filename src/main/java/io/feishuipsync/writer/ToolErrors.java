package io.feishuipsync.writer;

import io.feishuipsync.exec.CommandResult;

/**
 * A failed firewall tool described in its own words (one sanitized line); a cause is named only when the tool's
 * words say it, never guessed from the exit code.
 */
public final class ToolErrors {

  private static final String CAPABILITY_HINT = " (the kernel refused it: changing the firewall needs CAP_NET_ADMIN,"
      + " iptables also CAP_NET_RAW; run as root, or through the systemd unit, which grants them)";

  private ToolErrors() {}

  /** E.g. {@code iptables exited 4: Fatal: can't open lock file /run/xtables.lock: Read-only file system}. */
  public static String describe(CommandResult r) {
    return r.describeFailure() + (kernelRefused(r) ? CAPABILITY_HINT : "");
  }

  /**
   * The kernel said no to the firewall operation itself: nft and ipset report {@code Operation not permitted},
   * iptables {@code (you must be root)}. A file the tool could not open (the xtables lock) is not that.
   */
  static boolean kernelRefused(CommandResult r) {
    String said = r.toolError();
    return !said.contains(" file ") && (said.contains("Operation not permitted") || said.contains("you must be root"));
  }
}
