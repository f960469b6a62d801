package io.feishuipsync.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.feishuipsync.core.IpRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake firewall for unit tests, not a kernel: a {@link CommandRunner} that keeps an nftables ruleset, ipset sets
 * and iptables/ip6tables filter chains in memory and answers like the real tools for the subset the writers use.
 * The Docker tests ({@code NftablesWriterIT}, {@code IptablesWriterIT}) remain the proof on a real kernel.
 *
 * <p>Covered: {@code nft -f -} scripts and single {@code nft} commands (add/delete/flush of inet tables, sets with
 * {@code type}/{@code flags interval}, base and regular chains, rules with a comment, elements; delete rule by handle;
 * flush ruleset), applied as one transaction that changes nothing when any line fails; {@code nft -j list tables}
 * and {@code nft -j list table} in nft's JSON shape (rules carry handle and comment, no {@code expr}). {@code ipset}
 * create/add/del/flush/swap/destroy, alone or through {@code restore} (line by line, stopping at the first error,
 * as the real one does), {@code list -n} and {@code save}. {@code iptables}/{@code ip6tables} (and the other
 * flavour's binary) {@code -V}, {@code -S}, {@code -A/-I/-D/-F/-N/-X} on the filter table, and
 * {@code *-restore [--noflush]}, committed at {@code COMMIT} or not at all. Rules are kept as the text given, not
 * canonicalised; referenced sets, jump targets, set types and interval overlaps are checked as the kernel does.
 * Errors carry the real tools' messages (nft 1.0, ipset 7.17, iptables 1.8.9).
 *
 * <p>Failure knobs: {@link #uninstall}, {@link #denyPermission}, {@link #failNext}.
 */
public final class FakeFirewall implements CommandRunner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROGRAMS = Set.of("nft", "ipset", "iptables", "ip6tables", "iptables-restore",
      "ip6tables-restore", "iptables-legacy", "iptables-nft");
  private static final List<String> BUILTIN = List.of("INPUT", "FORWARD", "OUTPUT");
  private static final Set<String> TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "REJECT", "LOG");
  private static final String NO_SUCH = "Could not process rule: No such file or directory";
  private static final Pattern NFT_LINE = Pattern.compile(
      "(add|delete|flush) (table|set|chain|rule|element) (inet|ip|ip6) ([A-Za-z0-9_.-]+)(?: ([A-Za-z0-9_.-]+))?\\s*(.*)");

  /** An nftables rule as listed: its handle, its text without the comment, its comment (empty when none). */
  public record NftRule(long handle, String text, String comment) {}

  private static final class NftSet {
    final String type;
    final boolean interval;
    final TreeSet<IpRange> elements = new TreeSet<>();

    NftSet(String type, boolean interval) {
      this.type = type;
      this.interval = interval;
    }
  }

  private static final class NftChain {
    final String type;
    final String hook;
    final int prio;
    final List<NftRule> rules = new ArrayList<>();

    NftChain(String type, String hook, int prio) {
      this.type = type;
      this.hook = hook;
      this.prio = prio;
    }
  }

  private static final class NftTable {
    final Map<String, NftSet> sets = new LinkedHashMap<>();
    final Map<String, NftChain> chains = new LinkedHashMap<>();
  }

  private static final class IpSet {
    final String type;
    final String family;
    final TreeSet<IpRange> members = new TreeSet<>();

    IpSet(String type, String family) {
      this.type = type;
      this.family = family;
    }
  }

  private Map<String, NftTable> tables = new LinkedHashMap<>();
  private long handles;
  private final Map<String, IpSet> ipsets = new LinkedHashMap<>();
  /** Per iptables binary state ({@code iptables}, {@code ip6tables}, the other flavour): chain to its rules. */
  private final Map<String, Map<String, List<String>>> xtables = new HashMap<>();
  private final Set<String> uninstalled = new HashSet<>();
  private final Map<String, Deque<String[]>> injected = new HashMap<>();
  private boolean denied;
  private String flavour = "nf_tables";

  // ---- knobs -------------------------------------------------------------------------------------------------

  /** {@code program} is not installed: running it fails to start, as {@link ProcessCommandRunner} reports it. */
  public FakeFirewall uninstall(String program) {
    uninstalled.add(program);
    return this;
  }

  /** Every firewall operation is refused as without CAP_NET_ADMIN, with each tool's own words. */
  public FakeFirewall denyPermission() {
    denied = true;
    return this;
  }

  /** The next run of {@code program} exits {@code exit} with {@code stderr} and changes nothing. */
  public FakeFirewall failNext(String program, int exit, String stderr) {
    injected.computeIfAbsent(program, p -> new ArrayDeque<>()).add(new String[] {Integer.toString(exit), stderr});
    return this;
  }

  /** Which flavour {@code iptables -V} reports: {@code nf_tables} (default) or {@code legacy}. */
  public FakeFirewall flavour(String flavour) {
    this.flavour = flavour;
    return this;
  }

  /** Creates the {@code DOCKER-USER} chain in iptables and ip6tables, as a running Docker does. */
  public FakeFirewall dockerUser() {
    chains("iptables").putIfAbsent("DOCKER-USER", new ArrayList<>(List.of("-A DOCKER-USER -j RETURN")));
    chains("ip6tables").putIfAbsent("DOCKER-USER", new ArrayList<>(List.of("-A DOCKER-USER -j RETURN")));
    return this;
  }

  // ---- what the firewall holds -------------------------------------------------------------------------------

  /** Whether table {@code inet name} exists. */
  public boolean nftTable(String name) {
    return tables.containsKey("inet " + name);
  }

  /** The elements of set {@code inet table set}, or null when it does not exist. */
  public SortedSet<IpRange> nftSet(String table, String set) {
    NftTable t = tables.get("inet " + table);
    NftSet s = t == null ? null : t.sets.get(set);
    return s == null ? null : new TreeSet<>(s.elements);
  }

  /** The rules of chain {@code inet table chain}, or null when it does not exist. */
  public List<NftRule> nftRules(String table, String chain) {
    NftTable t = tables.get("inet " + table);
    NftChain c = t == null ? null : t.chains.get(chain);
    return c == null ? null : List.copyOf(c.rules);
  }

  /** The members of ipset {@code name}, or null when it does not exist. */
  public SortedSet<IpRange> ipset(String name) {
    IpSet s = ipsets.get(name);
    return s == null ? null : new TreeSet<>(s.members);
  }

  public List<String> ipsetNames() {
    return List.copyOf(ipsets.keySet());
  }

  /** The {@code -A} lines of {@code chain} in {@code program}'s filter table, or null when it does not exist. */
  public List<String> iptRules(String program, String chain) {
    List<String> rules = chains(program).get(chain);
    return rules == null ? null : List.copyOf(rules);
  }

  // ---- CommandRunner -----------------------------------------------------------------------------------------

  @Override
  public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) throws IOException {
    String program = argv.get(0);
    if (!PROGRAMS.contains(program) || uninstalled.contains(program)) {
      throw new IOException("cannot run " + program + ": error=2, No such file or directory");
    }
    Deque<String[]> queue = injected.get(program);
    if (queue != null && !queue.isEmpty()) {
      String[] f = queue.poll();
      return new CommandResult(List.copyOf(argv), Integer.parseInt(f[0]), "", f[1]);
    }
    List<String> args = argv.subList(1, argv.size());
    String input = new String(stdin, StandardCharsets.UTF_8);
    if (program.equals("nft")) {
      return denied ? fail(argv, 1, "Operation not permitted (you must be root)\nnetlink: Error: cache initialization"
          + " failed: Operation not permitted\n") : nft(argv, args, input);
    }
    if (program.equals("ipset")) {
      return denied ? fail(argv, 1, "ipset v7.17: Kernel error received: Operation not permitted\n")
          : ipset(argv, args, input);
    }
    if (args.contains("-V")) {
      String shown = program.endsWith("-legacy") ? "legacy" : program.endsWith("-nft") ? "nf_tables" : flavour;
      return new CommandResult(List.copyOf(argv), 0, program + " v1.8.9 (" + shown + ")\n", "");
    }
    if (denied) {
      return fail(argv, 4, program + " v1.8.9 (" + flavour + "): Could not fetch rule set generation id:"
          + " Permission denied (you must be root)\n");
    }
    return program.endsWith("-restore") ? xtablesRestore(argv, args, input) : xtables(argv, args);
  }

  private static CommandResult ok(List<String> argv, String out) {
    return new CommandResult(List.copyOf(argv), 0, out, "");
  }

  private static CommandResult fail(List<String> argv, int exit, String err) {
    return new CommandResult(List.copyOf(argv), exit, "", err);
  }

  // ---- nft ---------------------------------------------------------------------------------------------------

  private CommandResult nft(List<String> argv, List<String> args, String stdin) {
    List<String> words = args.stream().filter(a -> !a.equals("-j") && !a.equals("-a")).toList();
    if (words.size() == 2 && words.get(0).equals("-f") && words.get(1).equals("-")) {
      return nftTransaction(argv, stdin, "/dev/stdin");
    }
    if (!words.isEmpty() && words.get(0).equals("list")) {
      if (!args.contains("-j")) {
        throw new UnsupportedOperationException("FakeFirewall lists nft state only as JSON (-j)");
      }
      return nftList(argv, words);
    }
    return nftTransaction(argv, String.join(" ", words), "");
  }

  private CommandResult nftTransaction(List<String> argv, String script, String file) {
    Map<String, NftTable> before = copy(tables);
    long handlesBefore = handles;
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String error;
      try {
        error = nftLine(line);
      } catch (IllegalArgumentException e) {
        error = "syntax error, " + e.getMessage();
      }
      if (error != null) {
        tables = before;
        handles = handlesBefore;
        String where = file.isEmpty() ? "" : file + ":" + (i + 1) + ":1-" + line.length() + ": ";
        return fail(argv, 1, where + "Error: " + error + "\n" + line + "\n" + "^".repeat(line.length()) + "\n");
      }
    }
    return ok(argv, "");
  }

  private String nftLine(String line) {
    if (line.equals("flush ruleset")) {
      tables.clear();
      return null;
    }
    Matcher m = NFT_LINE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("FakeFirewall does not model: " + line);
    }
    String verb = m.group(1);
    String object = m.group(2);
    String key = m.group(3) + " " + m.group(4);
    String name = m.group(5);
    String rest = m.group(6);
    if (object.equals("table")) {
      switch (verb) {
        case "add" -> tables.putIfAbsent(key, new NftTable());
        case "delete" -> {
          return tables.remove(key) == null ? NO_SUCH : null;
        }
        default -> {
          NftTable t = tables.get(key);
          if (t == null) {
            return NO_SUCH;
          }
          t.sets.values().forEach(s -> s.elements.clear());
          t.chains.values().forEach(c -> c.rules.clear());
        }
      }
      return null;
    }
    NftTable t = tables.get(key);
    if (t == null || name == null) {
      return NO_SUCH;
    }
    return switch (object) {
      case "set" -> nftSetLine(t, verb, name, rest);
      case "element" -> nftElementLine(t, verb, name, rest);
      case "chain" -> nftChainLine(t, verb, name, rest);
      default -> nftRuleLine(t, verb, name, rest);
    };
  }

  private static String nftSetLine(NftTable t, String verb, String name, String spec) {
    NftSet s = t.sets.get(name);
    if (verb.equals("add")) {
      Matcher type = Pattern.compile("type (ipv4_addr|ipv6_addr)").matcher(spec);
      if (!type.find()) {
        throw new IllegalArgumentException("set " + name + " needs a type");
      }
      boolean interval = spec.contains("flags interval");
      if (s == null) {
        t.sets.put(name, new NftSet(type.group(1), interval));
      } else if (!s.type.equals(type.group(1)) || s.interval != interval) {
        return "Could not process rule: File exists";
      }
      return null;
    }
    if (s == null) {
      return NO_SUCH;
    }
    if (verb.equals("flush")) {
      s.elements.clear();
      return null;
    }
    boolean used = t.chains.values().stream().flatMap(c -> c.rules.stream())
        .anyMatch(r -> (" " + r.text() + " ").contains(" @" + name + " "));
    if (used) {
      return "Could not process rule: Device or resource busy";
    }
    t.sets.remove(name);
    return null;
  }

  private static String nftElementLine(NftTable t, String verb, String name, String rest) {
    NftSet s = t.sets.get(name);
    if (s == null) {
      return NO_SUCH;
    }
    if (verb.equals("flush") || !rest.startsWith("{") || !rest.endsWith("}")) {
      throw new IllegalArgumentException("unexpected element syntax: " + rest);
    }
    for (String item : rest.substring(1, rest.length() - 1).split(",")) {
      IpRange r = IpRange.parse(item.strip());
      IpRange.Family want = s.type.equals("ipv4_addr") ? IpRange.Family.IPV4 : IpRange.Family.IPV6;
      if (r.family() != want) {
        return "datatype mismatch, expected " + (want == IpRange.Family.IPV4 ? "IPv4" : "IPv6")
            + " address, expression has type " + (want == IpRange.Family.IPV4 ? "IPv6" : "IPv4") + " address";
      }
      if (verb.equals("delete")) {
        if (!s.elements.remove(r)) {
          return NO_SUCH;
        }
        continue;
      }
      if (!r.isSingleAddress() && !s.interval) {
        return "You must add 'flags interval' to your set declaration if you want to add prefix elements";
      }
      for (IpRange e : s.elements) {
        if (!e.equals(r) && (e.contains(r) || r.contains(e))) {
          return "conflicting intervals specified";
        }
      }
      s.elements.add(r);
    }
    return null;
  }

  private static String nftChainLine(NftTable t, String verb, String name, String spec) {
    NftChain c = t.chains.get(name);
    switch (verb) {
      case "add" -> {
        Matcher base = Pattern.compile("type (\\w+) hook (\\w+) priority (-?\\d+)").matcher(spec);
        NftChain wanted = base.find()
            ? new NftChain(base.group(1), base.group(2), Integer.parseInt(base.group(3))) : new NftChain(null, null, 0);
        if (c == null) {
          t.chains.put(name, wanted);
        } else if (!String.valueOf(c.hook).equals(String.valueOf(wanted.hook)) || c.prio != wanted.prio) {
          return "Could not process rule: File exists";
        }
        return null;
      }
      case "flush" -> {
        if (c == null) {
          return NO_SUCH;
        }
        c.rules.clear();
        return null;
      }
      default -> {
        if (c == null) {
          return NO_SUCH;
        }
        if (!c.rules.isEmpty()) {
          return "Could not process rule: Device or resource busy";
        }
        t.chains.remove(name);
        return null;
      }
    }
  }

  private String nftRuleLine(NftTable t, String verb, String chain, String rest) {
    NftChain c = t.chains.get(chain);
    if (c == null) {
      return NO_SUCH;
    }
    if (verb.equals("delete")) {
      Matcher h = Pattern.compile("handle (\\d+)").matcher(rest);
      if (!h.matches()) {
        throw new IllegalArgumentException("delete rule needs a handle");
      }
      return c.rules.removeIf(r -> r.handle() == Long.parseLong(h.group(1))) ? null : NO_SUCH;
    }
    if (!verb.equals("add")) {
      throw new IllegalArgumentException("FakeFirewall does not model: " + verb + " rule");
    }
    Matcher cm = Pattern.compile("(.*) comment \"([^\"]*)\"").matcher(rest);
    String text = cm.matches() ? cm.group(1) : rest;
    String comment = cm.matches() ? cm.group(2) : "";
    Matcher ref = Pattern.compile("(ip6?) [sd]addr (?:!= )?@([A-Za-z0-9_.-]+)").matcher(text);
    while (ref.find()) {
      NftSet s = t.sets.get(ref.group(2));
      if (s == null) {
        return NO_SUCH;
      }
      String want = ref.group(1).equals("ip") ? "ipv4_addr" : "ipv6_addr";
      if (!s.type.equals(want)) {
        return "datatype mismatch, expected " + (want.equals("ipv4_addr") ? "IPv4" : "IPv6") + " address, set has"
            + " type " + (want.equals("ipv4_addr") ? "IPv6" : "IPv4") + " address";
      }
    }
    c.rules.add(new NftRule(++handles, text, comment));
    return null;
  }

  private CommandResult nftList(List<String> argv, List<String> words) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode items = root.putArray("nftables");
    items.addObject().putObject("metainfo").put("version", "1.0.6").put("json_schema_version", 1);
    if (words.equals(List.of("list", "tables"))) {
      tables.keySet().forEach(k -> tableItem(items, k));
      return ok(argv, root.toString());
    }
    if (words.size() != 4 || !words.get(1).equals("table")) {
      throw new UnsupportedOperationException("FakeFirewall does not list: " + words);
    }
    String key = words.get(2) + " " + words.get(3);
    NftTable t = tables.get(key);
    if (t == null) {
      String line = String.join(" ", words);
      return fail(argv, 1, "Error: No such file or directory\n" + line + "\n" + "^".repeat(line.length()) + "\n");
    }
    String[] fn = key.split(" ");
    tableItem(items, key);
    t.sets.forEach((name, s) -> {
      ObjectNode set = items.addObject().putObject("set");
      set.put("family", fn[0]).put("name", name).put("table", fn[1]).put("type", s.type);
      if (s.interval) {
        set.putArray("flags").add("interval");
      }
      if (!s.elements.isEmpty()) {
        ArrayNode elem = set.putArray("elem");
        for (IpRange r : s.elements) {
          if (r.isSingleAddress()) {
            elem.add(r.addressText());
          } else {
            elem.addObject().putObject("prefix").put("addr", r.addressText()).put("len", r.prefixLength());
          }
        }
      }
    });
    t.chains.forEach((name, c) -> {
      ObjectNode chain = items.addObject().putObject("chain");
      chain.put("family", fn[0]).put("table", fn[1]).put("name", name);
      if (c.hook != null) {
        chain.put("type", c.type).put("hook", c.hook).put("prio", c.prio).put("policy", "accept");
      }
    });
    t.chains.forEach((name, c) -> c.rules.forEach(r -> {
      ObjectNode rule = items.addObject().putObject("rule");
      rule.put("family", fn[0]).put("table", fn[1]).put("chain", name).put("handle", r.handle());
      if (!r.comment().isEmpty()) {
        rule.put("comment", r.comment());
      }
      rule.putArray("expr");
    }));
    return ok(argv, root.toString());
  }

  private static void tableItem(ArrayNode items, String key) {
    String[] fn = key.split(" ");
    items.addObject().putObject("table").put("family", fn[0]).put("name", fn[1]);
  }

  private static Map<String, NftTable> copy(Map<String, NftTable> from) {
    Map<String, NftTable> out = new LinkedHashMap<>();
    from.forEach((k, t) -> {
      NftTable c = new NftTable();
      t.sets.forEach((n, s) -> {
        NftSet cs = new NftSet(s.type, s.interval);
        cs.elements.addAll(s.elements);
        c.sets.put(n, cs);
      });
      t.chains.forEach((n, ch) -> {
        NftChain cc = new NftChain(ch.type, ch.hook, ch.prio);
        cc.rules.addAll(ch.rules);
        c.chains.put(n, cc);
      });
      out.put(k, c);
    });
    return out;
  }

  // ---- ipset -------------------------------------------------------------------------------------------------

  private CommandResult ipset(List<String> argv, List<String> args, String stdin) {
    String cmd = args.isEmpty() ? "" : args.get(0);
    switch (cmd) {
      case "list" -> {
        if (!args.contains("-n")) {
          throw new UnsupportedOperationException("FakeFirewall lists ipsets only by name (-n)");
        }
        List<String> names = args.stream().filter(a -> !a.startsWith("-") && !a.equals("list")).toList();
        if (names.isEmpty()) {
          return ok(argv, ipsets.keySet().stream().map(n -> n + "\n").reduce("", String::concat));
        }
        return ipsets.containsKey(names.get(0)) ? ok(argv, names.get(0) + "\n")
            : fail(argv, 1, "ipset v7.17: The set with the given name does not exist\n");
      }
      case "save" -> {
        List<String> names = args.size() > 1 ? List.of(args.get(1)) : List.copyOf(ipsets.keySet());
        StringBuilder out = new StringBuilder();
        for (String n : names) {
          IpSet s = ipsets.get(n);
          if (s == null) {
            return fail(argv, 1, "ipset v7.17: The set with the given name does not exist\n");
          }
          out.append("create ").append(n).append(' ').append(s.type).append(" family ").append(s.family)
              .append(" hashsize 1024 maxelem 262144 bucketsize 12 initval 0x5e1f5a3b\n");
          s.members.forEach(r -> out.append("add ").append(n).append(' ').append(r).append('\n'));
        }
        return ok(argv, out.toString());
      }
      case "restore" -> {
        String[] lines = stdin.split("\n");
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].isBlank()) {
            continue;
          }
          String error = ipsetLine(lines[i].strip().split("\\s+"));
          if (error != null) {
            return fail(argv, 1, "ipset v7.17: Error in line " + (i + 1) + ": " + error + "\n");
          }
        }
        return ok(argv, "");
      }
      default -> {
        String error = ipsetLine(args.toArray(new String[0]));
        return error == null ? ok(argv, "") : fail(argv, 1, "ipset v7.17: " + error + "\n");
      }
    }
  }

  private String ipsetLine(String[] w) {
    List<String> words = Arrays.asList(w);
    boolean exist = words.contains("-exist");
    String name = w.length > 1 ? w[1] : null;
    IpSet s = name == null ? null : ipsets.get(name);
    String missing = "The set with the given name does not exist";
    switch (w[0]) {
      case "create" -> {
        int f = words.indexOf("family");
        IpSet wanted = new IpSet(w[2], f < 0 ? "inet" : w[f + 1]);
        if (s == null) {
          ipsets.put(name, wanted);
        } else if (!exist) {
          return "Set cannot be created: set with the same name already exists";
        } else if (!s.type.equals(wanted.type) || !s.family.equals(wanted.family)) {
          return "Set cannot be created: set with the same name already exists";
        }
        return null;
      }
      case "add", "del" -> {
        if (s == null) {
          return missing;
        }
        IpRange r;
        try {
          r = IpRange.parse(w[2]);
        } catch (IllegalArgumentException e) {
          return "Syntax error: cannot parse " + w[2] + ": resolving to IPv4 address failed";
        }
        if ((r.family() == IpRange.Family.IPV4) != s.family.equals("inet")) {
          return "Syntax error: cannot parse " + w[2] + ": resolving to " + (s.family.equals("inet") ? "IPv4"
              : "IPv6") + " address failed";
        }
        if (s.type.equals("hash:ip") && !r.isSingleAddress()) {
          return "Syntax error: plain IP address must be supplied: " + w[2];
        }
        if (w[0].equals("add")) {
          return s.members.add(r) || exist ? null : "Element cannot be added to the set: it's already added";
        }
        return s.members.remove(r) || exist ? null : "Element cannot be deleted from the set: it's not added";
      }
      case "flush" -> {
        if (name == null) {
          ipsets.values().forEach(x -> x.members.clear());
        } else if (s == null) {
          return missing;
        } else {
          s.members.clear();
        }
        return null;
      }
      case "swap" -> {
        IpSet other = ipsets.get(w[2]);
        if (s == null || other == null) {
          return missing;
        }
        if (!s.type.equals(other.type) || !s.family.equals(other.family)) {
          return "The sets cannot be swapped: their type does not match";
        }
        ipsets.put(name, other);
        ipsets.put(w[2], s);
        return null;
      }
      case "destroy" -> {
        List<String> targets = name == null ? List.copyOf(ipsets.keySet()) : List.of(name);
        if (name != null && s == null) {
          return missing;
        }
        for (String n : targets) {
          if (setInUse(n)) {
            return "Set cannot be destroyed: it is in use by a kernel component";
          }
        }
        targets.forEach(ipsets::remove);
        return null;
      }
      default -> throw new UnsupportedOperationException("FakeFirewall does not model ipset " + w[0]);
    }
  }

  private boolean setInUse(String set) {
    return xtables.values().stream().flatMap(t -> t.values().stream()).flatMap(List::stream)
        .anyMatch(r -> (r + " ").contains(" --match-set " + set + " "));
  }

  // ---- iptables ----------------------------------------------------------------------------------------------

  private Map<String, List<String>> chains(String program) {
    String base = program.replace("-restore", "");
    if (base.equals("iptables-" + (flavour.equals("legacy") ? "legacy" : "nft"))) {
      base = "iptables";
    }
    return xtables.computeIfAbsent(base, p -> {
      Map<String, List<String>> m = new LinkedHashMap<>();
      BUILTIN.forEach(c -> m.put(c, new ArrayList<>()));
      return m;
    });
  }

  private CommandResult xtables(List<String> argv, List<String> args) {
    String program = argv.get(0);
    List<String> words = args.stream().filter(a -> !a.equals("-w")).toList();
    Map<String, List<String>> state = chains(program);
    if (words.get(0).equals("-S")) {
      if (words.size() == 1) {
        StringBuilder out = new StringBuilder();
        state.keySet().forEach(c -> out.append(header(c)));
        state.values().forEach(rules -> rules.forEach(r -> out.append(r).append('\n')));
        return ok(argv, out.toString());
      }
      List<String> rules = state.get(words.get(1));
      if (rules == null) {
        return fail(argv, 1, program + ": No chain/target/match by that name.\n");
      }
      StringBuilder out = new StringBuilder(header(words.get(1)));
      rules.forEach(r -> out.append(r).append('\n'));
      return ok(argv, out.toString());
    }
    String error = xtablesOp(program, state, words);
    return error == null ? ok(argv, "") : fail(argv, 1, error + "\n");
  }

  private static String header(String chain) {
    return BUILTIN.contains(chain) ? "-P " + chain + " ACCEPT\n" : "-N " + chain + "\n";
  }

  /** One {@code -A/-I/-D/-F/-N/-X} on {@code state}; the tool's error, or null. */
  private String xtablesOp(String program, Map<String, List<String>> state, List<String> words) {
    String op = words.get(0);
    String chain = words.size() > 1 ? words.get(1) : null;
    List<String> rules = chain == null ? null : state.get(chain);
    String noChain = program + ": No chain/target/match by that name.";
    switch (op) {
      case "-N" -> {
        return state.putIfAbsent(chain, new ArrayList<>()) == null ? null : program + ": Chain already exists.";
      }
      case "-F" -> {
        if (chain == null) {
          state.values().forEach(List::clear);
        } else if (rules == null) {
          return noChain;
        } else {
          rules.clear();
        }
        return null;
      }
      case "-X" -> {
        if (rules == null || BUILTIN.contains(chain)) {
          return noChain;
        }
        boolean referenced = state.values().stream().flatMap(List::stream)
            .anyMatch(r -> r.endsWith(" -j " + chain));
        if (referenced || !rules.isEmpty()) {
          return program + " v1.8.9 (" + flavour + "): CHAIN_USER_DEL failed (Device or resource busy): chain "
              + chain;
        }
        state.remove(chain);
        return null;
      }
      case "-A", "-I", "-D" -> {
        if (rules == null) {
          return noChain;
        }
        int at = op.equals("-I") && words.size() > 2 && words.get(2).matches("\\d+") ? Integer.parseInt(words.get(2))
            : -1;
        List<String> spec = words.subList(at > 0 ? 3 : 2, words.size());
        String rule = "-A " + chain + render(spec);
        if (op.equals("-D")) {
          return rules.remove(rule) ? null
              : program + ": Bad rule (does a matching rule exist in that chain?).";
        }
        String invalid = invalidRule(program, state, spec);
        if (invalid != null) {
          return invalid;
        }
        if (op.equals("-A")) {
          rules.add(rule);
        } else {
          rules.add(Math.max(0, Math.min(rules.size(), (at > 0 ? at : 1) - 1)), rule);
        }
        return null;
      }
      default -> throw new UnsupportedOperationException("FakeFirewall does not model " + program + " " + op);
    }
  }

  private String invalidRule(String program, Map<String, List<String>> state, List<String> spec) {
    int j = spec.indexOf("-j");
    if (j >= 0 && (j + 1 >= spec.size() || !TARGETS.contains(spec.get(j + 1)) && !state.containsKey(spec.get(j + 1)))) {
      return program + " v1.8.9 (" + flavour + "): Couldn't load target `" + (j + 1 < spec.size() ? spec.get(j + 1)
          : "") + "':No such file or directory";
    }
    int m = spec.indexOf("--match-set");
    if (m >= 0) {
      IpSet s = ipsets.get(spec.get(m + 1));
      if (s == null) {
        return program + " v1.8.9 (" + flavour + "): Set " + spec.get(m + 1) + " doesn't exist.";
      }
      String want = program.startsWith("ip6") ? "inet6" : "inet";
      if (!s.family.equals(want)) {
        return program + " v1.8.9 (" + flavour + "): The protocol family of set " + spec.get(m + 1)
            + " is " + s.family + ", which is not applicable.";
      }
    }
    return null;
  }

  private CommandResult xtablesRestore(List<String> argv, List<String> args, String stdin) {
    String program = argv.get(0);
    boolean noflush = args.contains("--noflush");
    Map<String, List<String>> live = chains(program);
    Map<String, List<String>> work = null;
    String[] lines = stdin.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      String error = null;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      } else if (line.equals("*filter")) {
        work = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : live.entrySet()) {
          if (noflush || BUILTIN.contains(e.getKey())) {
            work.put(e.getKey(), new ArrayList<>(noflush ? e.getValue() : List.of()));
          }
        }
      } else if (work == null) {
        error = "no command or table given";
      } else if (line.equals("COMMIT")) {
        live.clear();
        live.putAll(work);
        work = null;
      } else if (line.startsWith(":")) {
        String chain = line.substring(1).split(" ")[0];
        if (!BUILTIN.contains(chain)) {
          work.put(chain, new ArrayList<>());
        }
      } else {
        error = xtablesOp(program, work, tokens(line));
      }
      if (error != null) {
        return fail(argv, 1, error + "\nError occurred at line: " + (i + 1) + "\nTry `" + program + " -h' or '"
            + program + " --help' for more information.\n");
      }
    }
    if (work != null) {
      return fail(argv, 1, program + ": COMMIT expected at line " + (lines.length + 1) + "\n");
    }
    return ok(argv, "");
  }

  /** Splits a rule line into words; a double-quoted word may hold spaces. */
  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

  private static String render(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      sb.append(' ').append(w.contains(" ") || w.isEmpty() ? "\"" + w + "\"" : w);
    }
    return sb.toString();
  }
}
