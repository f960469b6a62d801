package io.feishuipsync.core;

import java.util.List;

/**
 * One input for a kernel tool that puts a writer's rules back after a reboot, without the daemon: the boot-time
 * restore feeds {@code input} to {@code tool} on standard input.
 *
 * @param tool which tool reads it
 * @param input exactly what the writer's last apply gave that tool
 */
public record RestoreStep(Tool tool, String input) {

  /** The kernel tools a restore runs, each with the fixed arguments that read a whole input from stdin. */
  public enum Tool {
    NFT("nft", "nft", "-f", "-"),
    IPSET("ipset", "ipset", "restore"),
    IPTABLES("iptables", "iptables-restore", "-w", "--noflush"),
    IP6TABLES("ip6tables", "ip6tables-restore", "-w", "--noflush");

    private final String suffix;
    private final List<String> argv;

    Tool(String suffix, String... argv) {
      this.suffix = suffix;
      this.argv = List.of(argv);
    }

    /** The file name ending that tells the restore which tool reads the file. */
    public String suffix() {
      return suffix;
    }

    /** The command that reads the input on stdin. */
    public List<String> argv() {
      return argv;
    }
  }
}
