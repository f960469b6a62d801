package io.feishuipsync.writer.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.feishuipsync.core.AddressSets;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.RestoreStep;
import io.feishuipsync.core.Watch;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.writer.ToolErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Keeps an nftables table (or two sets) holding the allowlist; every change is one {@code nft -f -} transaction. */
final class NftablesWriter implements Writer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final NftLayout layout;
  private final String nft;
  private final CommandRunner runner;

  NftablesWriter(NftLayout layout, String nft, CommandRunner runner) {
    this.layout = layout;
    this.nft = nft;
    this.runner = runner;
  }

  @Override
  public String name() {
    return "nftables:" + layout.where() + (layout.setsOnly() ? " sets " + layout.setV4() + "," + layout.setV6() : "");
  }

  @Override
  public void check() throws WriterException {
    CommandResult tables = run(List.of(nft, "-j", "list", "tables"), "");
    if (!tables.ok()) {
      throw new WriterException(name(), "cannot list the ruleset: " + ToolErrors.describe(tables));
    }
    if (layout.setsOnly() && !tableExists(tables.stdout())) {
      throw new WriterException(name(), "table " + layout.where() + " does not exist; sets_only mode adds its sets"
          + " to a table of yours, create it first");
    }
  }

  @Override
  public Holding read() throws WriterException {
    CommandResult r = run(List.of(nft, "-j", "list", "table", NftLayout.FAMILY, layout.table()), "");
    if (!r.ok()) {
      if (r.stderr().contains("No such file or directory")) {
        return new Holding(new TreeSet<>(), List.of(Holding.missing("table " + layout.where())));
      }
      throw new WriterException(name(), "cannot read the ruleset: " + r.describeFailure());
    }
    JsonNode items;
    try {
      items = JSON.readTree(r.stdout()).path("nftables");
    } catch (IOException e) {
      throw new WriterException(name(), "nft printed JSON this writer cannot read: " + unreadable(e), e);
    }
    TreeSet<IpRange> entries = new TreeSet<>();
    List<String> drift = new ArrayList<>();
    readSet(items, layout.setV4(), "ipv4_addr", entries, drift);
    readSet(items, layout.setV6(), "ipv6_addr", entries, drift);
    if (!layout.setsOnly()) {
      readChain(items, drift);
    }
    return new Holding(entries, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    CommandResult r = run(List.of(nft, "-f", "-"), layout.applyScript(desired));
    if (!r.ok()) {
      throw new WriterException(name(), "nft rejected the change, nothing was changed: " + r.describeFailure());
    }
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public List<RestoreStep> restore(SortedSet<IpRange> desired) {
    return List.of(new RestoreStep(RestoreStep.Tool.NFT, layout.applyScript(desired)));
  }

  @Override
  public Watch watch() {
    return Watch.nftMonitor(nft, List.of(layout.table()));
  }

  @Override
  public void teardown() throws WriterException {
    if (layout.setsOnly()) {
      CommandResult tables = run(List.of(nft, "-j", "list", "tables"), "");
      if (!tables.ok() || !tableExists(tables.stdout())) {
        return;
      }
      Holding h = read();
      if (h.drift().stream().anyMatch(Holding::isMissingPart)) {
        return;
      }
    }
    CommandResult r = run(List.of(nft, "-f", "-"), layout.teardownScript());
    if (!r.ok()) {
      throw new WriterException(name(), "cannot remove: " + r.describeFailure());
    }
  }

  private void readSet(JsonNode items, String name, String type, TreeSet<IpRange> entries, List<String> drift)
      throws WriterException {
    for (JsonNode item : items) {
      JsonNode set = item.get("set");
      if (set == null || !name.equals(set.path("name").asText())) {
        continue;
      }
      boolean interval = false;
      for (JsonNode f : set.path("flags")) {
        interval |= "interval".equals(f.asText());
      }
      if (!type.equals(set.path("type").asText()) || !interval) {
        drift.add("set " + name + " is not of type " + type + " with flags interval");
      }
      for (JsonNode e : set.path("elem")) {
        element(e, name, entries);
      }
      return;
    }
    drift.add(Holding.missing("set " + name));
  }

  private void element(JsonNode e, String set, TreeSet<IpRange> entries) throws WriterException {
    try {
      if (e.isTextual()) {
        entries.add(IpRange.parse(e.asText()));
      } else if (e.has("prefix")) {
        entries.add(IpRange.parse(e.get("prefix").path("addr").asText() + "/" + e.get("prefix").path("len").asInt()));
      } else if (e.has("range")) {
        entries.addAll(AddressSets.coverRange(IpRange.parse(e.get("range").get(0).asText()).addressBytes(),
            IpRange.parse(e.get("range").get(1).asText()).addressBytes()));
      } else if (e.has("elem")) {
        element(e.get("elem").path("val"), set, entries);
      } else {
        throw new IllegalArgumentException("unknown element form");
      }
    } catch (IllegalArgumentException | NullPointerException ex) {
      throw new WriterException(name(), "set " + set + " holds an element this writer cannot read: "
          + abbreviate(e.toString()));
    }
  }

  private void readChain(JsonNode items, List<String> drift) {
    JsonNode chain = null;
    List<String> comments = new ArrayList<>();
    for (JsonNode item : items) {
      if (item.has("chain") && layout.chain().equals(item.get("chain").path("name").asText())) {
        chain = item.get("chain");
      }
      if (item.has("rule") && layout.chain().equals(item.get("rule").path("chain").asText())) {
        comments.add(item.get("rule").path("comment").asText(""));
      }
    }
    if (chain == null) {
      drift.add(Holding.missing("chain " + layout.chain()));
      return;
    }
    if (!layout.hook().equals(chain.path("hook").asText()) || chain.path("prio").asInt() != layout.priority()
        || !"filter".equals(chain.path("type").asText())) {
      drift.add("chain " + layout.chain() + " is not a filter chain on hook " + layout.hook() + " priority "
          + layout.priority());
    }
    long ours = comments.stream().filter(layout.comment()::equals).count();
    if (ours != layout.rules().size() || comments.size() != ours) {
      drift.add("chain " + layout.chain() + " holds " + comments.size() + " rules, " + ours + " of them the current"
          + " ones of " + layout.rules().size());
    }
  }

  private boolean tableExists(String tablesJson) throws WriterException {
    try {
      for (JsonNode item : JSON.readTree(tablesJson).path("nftables")) {
        JsonNode t = item.get("table");
        if (t != null && NftLayout.FAMILY.equals(t.path("family").asText())
            && layout.table().equals(t.path("name").asText())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new WriterException(name(), "nft printed JSON this writer cannot read: " + unreadable(e), e);
    }
  }

  private CommandResult run(List<String> argv, String stdin) throws WriterException {
    try {
      return runner.run(argv, stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    } catch (IOException e) {
      throw new WriterException(name(), nft + " is not available (" + e.getMessage()
          + "); install the nftables package", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterException(name(), "interrupted while running " + nft, e);
    }
  }

  /** The JSON parser's complaint in one line, without the location block it appends. */
  private static String unreadable(IOException e) {
    String m = e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
    return Sanitize.text(String.valueOf(m), 200);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
