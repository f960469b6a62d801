package io.feishuipsync.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.IpRange;
import java.io.IOException;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a target holds, read apart from the product: the elements of the product's nftables sets in what
 * {@code nft -j list table inet feishu_ipsync} printed, the members of an ipset, and a history (file lines or database rows) replayed from
 * nothing, each line checked against what came before it.
 */
public final class Held {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Held() {}

  /** The elements of the {@code allow_*} sets in {@code nft -j} output. */
  public static SortedSet<IpRange> nftSets(String nftJson) throws IOException {
    TreeSet<IpRange> out = new TreeSet<>();
    for (JsonNode item : JSON.readTree(nftJson).path("nftables")) {
      if (item.path("set").path("name").asText().startsWith("allow_")) {
        for (JsonNode e : item.path("set").path("elem")) {
          out.add(e.isTextual() ? IpRange.parse(e.asText()) : IpRange.parse(e.path("prefix").path("addr").asText()
              + "/" + e.path("prefix").path("len").asInt()));
        }
      }
    }
    return out;
  }

  /** The members {@code ipset list NAME} printed (the lines after "Members:"). */
  public static SortedSet<IpRange> ipsetMembers(String ipsetList) {
    TreeSet<IpRange> out = new TreeSet<>();
    boolean members = false;
    for (String line : ipsetList.split("\n")) {
      if (members && !line.isBlank()) {
        out.add(IpRange.parse(line.strip().split(" ")[0]));
      }
      members |= line.startsWith("Members:");
    }
    return out;
  }

  /**
   * History lines replayed from nothing: each line's removals must be held and its additions not yet, and its total
   * must be what is held after it; a lost or doubled line fails here.
   */
  public static SortedSet<IpRange> historyReplayed(Iterable<String> lines) throws IOException {
    TreeSet<IpRange> held = new TreeSet<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      n.path("removed").forEach(r -> assertTrue(held.remove(IpRange.parse(r.asText())), "removed, not held: " + r));
      n.path("added").forEach(a -> assertTrue(held.add(IpRange.parse(a.asText())), "added, already held: " + a));
      assertEquals(n.path("total").asInt(), held.size(), "the line's total: " + line);
    }
    return held;
  }
}
