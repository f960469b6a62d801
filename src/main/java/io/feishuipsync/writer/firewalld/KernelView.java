package io.feishuipsync.writer.firewalld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the kernel holds of firewalld's ipsets, read with {@code nft} from firewalld's table: firewalld reports what
 * it believes it loaded, and a flushed ruleset is found only here. Without {@code nft} (firewalld's iptables
 * backend) nothing is known and firewalld's own view stands.
 */
final class KernelView {

  static final String TABLE = "firewalld";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String nft;
  private final CommandRunner runner;

  KernelView(String nft, CommandRunner runner) {
    this.nft = nft;
    this.runner = runner;
  }

  /**
   * Puts an empty table of firewalld's back when the kernel lost it: firewalld's reload begins by deleting its
   * table, and fails, loading nothing, when a flush took it away. Best effort: the reload says what went wrong.
   */
  void ensureTable() {
    try {
      runner.run(List.of(nft, "add", "table", "inet", TABLE), new byte[0], TIMEOUT);
    } catch (IOException e) {
      // No nft: the reload reports its own failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The elements of set {@code name}: null when unknown, empty when the kernel does not have the set. */
  SortedSet<IpRange> elements(String name) {
    CommandResult r;
    try {
      r = runner.run(List.of(nft, "-j", "list", "set", "inet", TABLE, name), new byte[0], TIMEOUT);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    SortedSet<IpRange> out = new TreeSet<>();
    if (!r.ok()) {
      // No such table or set: the kernel lost it. Anything else (no permission) says nothing.
      return r.stderr().contains("No such file or directory") ? out : null;
    }
    try {
      for (JsonNode item : JSON.readTree(r.stdout()).path("nftables")) {
        for (JsonNode e : item.path("set").path("elem")) {
          JsonNode p = e.path("prefix");
          String text = p.isObject() ? p.path("addr").asText() + "/" + p.path("len").asText() : e.asText();
          out.add(IpRange.parse(text));
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return out;
  }
}
