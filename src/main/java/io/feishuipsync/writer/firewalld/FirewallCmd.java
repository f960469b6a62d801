package io.feishuipsync.writer.firewalld;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code firewall-cmd}, run without a shell: each call one line of arguments, its failure one line naming the call.
 * firewalld answers a call it cannot make with a non-zero exit and {@code Error: CODE: detail}; one that finds
 * nothing to do (an entry already there) with {@code Warning:} and exit 0.
 */
final class FirewallCmd {

  /** {@code firewall-cmd --state} when firewalld is not running. */
  static final int NOT_RUNNING = 252;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final String binary;
  private final CommandRunner runner;
  private final String writer;

  FirewallCmd(String binary, CommandRunner runner, String writer) {
    this.binary = binary;
    this.runner = runner;
    this.writer = writer;
  }

  /** The result of {@code firewall-cmd args}; a program that cannot be started is a clear refusal. */
  CommandResult call(List<String> args) throws WriterException {
    List<String> argv = new ArrayList<>(List.of(binary));
    argv.addAll(args);
    try {
      return runner.run(argv, new byte[0], TIMEOUT);
    } catch (IOException e) {
      throw new WriterException(writer, binary + " is not available (" + Sanitize.text(e.getMessage(), 200)
          + "); install firewalld, or use the nftables writer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterException(writer, "interrupted while running " + binary, e);
    }
  }

  /** The output of a call that must succeed. */
  String must(String... args) throws WriterException {
    CommandResult r = call(List.of(args));
    if (!r.ok()) {
      throw failed(r, List.of(args));
    }
    return r.stdout();
  }

  /** The output of a call, or null when firewalld says the object it names does not exist ({@code INVALID_...}). */
  String ifExists(String... args) throws WriterException {
    CommandResult r = call(List.of(args));
    if (r.ok()) {
      return r.stdout();
    }
    if (r.stderr().contains("INVALID_IPSET") || r.stderr().contains("INVALID_POLICY")) {
      return null;
    }
    throw failed(r, List.of(args));
  }

  WriterException failed(CommandResult r, List<String> args) {
    String said = Sanitize.text((r.stderr() + " " + r.stdout()).strip(), 300);
    String hint = r.exitCode() == NOT_RUNNING || said.contains("not running")
        ? ": firewalld is not running (systemctl start firewalld), or use the nftables writer"
        : said.contains("Authorization failed") || said.contains("NOT_AUTHORIZED")
            ? ": changing firewalld needs root (or polkit's org.fedoraproject.FirewallD1.config); run through the"
                + " systemd unit" : "";
    String call = String.join(" ", args.subList(0, Math.min(args.size(), 3)));
    return new WriterException(writer, binary + " " + call + (args.size() > 3 ? " ..." : "") + " exited "
        + r.exitCode() + (said.isEmpty() ? "" : ": " + said) + hint);
  }
}
