package io.feishuipsync.writer.iptables;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
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
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ipset sets, a chain and a jump holding the allowlist for iptables and ip6tables. Sets change by
 * {@code ipset swap}; rules by one {@code iptables-restore --noflush} commit per family, always with the xtables lock.
 */
final class IptablesWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(IptablesWriter.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final IptLayout layout;
  private final List<IpRange.Family> families;
  private final CommandRunner runner;

  IptablesWriter(IptLayout layout, boolean ipv6, CommandRunner runner) {
    this.layout = layout;
    this.families = ipv6 ? List.of(IpRange.Family.IPV4, IpRange.Family.IPV6) : List.of(IpRange.Family.IPV4);
    this.runner = runner;
  }

  @Override
  public String name() {
    return "iptables:" + layout.jumpFrom() + "->" + layout.chain();
  }

  @Override
  public Set<String> targets() {
    return Set.of("iptables chain " + layout.chain(), "ipset " + layout.setName());
  }

  @Override
  public SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    TreeSet<IpRange> out = new TreeSet<>();
    desired.stream().filter(r -> families.contains(r.family())).forEach(out::add);
    return out;
  }

  @Override
  public void check() throws WriterException {
    for (IpRange.Family f : families) {
      CommandResult r = run(List.of(iptables(f), "-w", "-S", layout.jumpFrom()), "", iptables(f), "iptables");
      if (!r.ok()) {
        if (layout.jumpFrom().equals("DOCKER-USER") && r.toolError().contains("No chain")) {
          throw new WriterException(name(), "chain DOCKER-USER does not exist in " + iptables(f)
              + "; is Docker running? (" + r.describeFailure() + ")");
        }
        throw new WriterException(name(), "cannot read chain " + layout.jumpFrom() + ": " + ToolErrors.describe(r));
      }
    }
    CommandResult ipset = run(List.of("ipset", "list", "-n"), "", "ipset", "ipset");
    if (!ipset.ok()) {
      throw new WriterException(name(), "ipset cannot list sets: " + ToolErrors.describe(ipset));
    }
    warnAboutOtherFlavour();
  }

  @Override
  public Holding read() throws WriterException {
    TreeSet<IpRange> entries = new TreeSet<>();
    List<String> drift = new ArrayList<>();
    for (IpRange.Family f : families) {
      readSet(f, entries, drift);
      readRules(f, drift);
    }
    return new Holding(entries, drift);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    CommandResult sets = run(List.of("ipset", "restore"), layout.ipsetScript(desired, families), "ipset", "ipset");
    if (!sets.ok()) {
      throw new WriterException(name(), "ipset refused the new list, the live sets are unchanged: "
          + sets.describeFailure());
    }
    for (IpRange.Family f : families) {
      CommandResult r = run(List.of(restore(f), "-w", "--noflush"), layout.restoreScript(f, jumps(f)), restore(f),
          "iptables");
      if (!r.ok()) {
        throw new WriterException(name(), restore(f) + " refused the rules (the sets already hold the new list): "
            + r.describeFailure());
      }
    }
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public List<RestoreStep> restore(SortedSet<IpRange> desired) {
    List<RestoreStep> steps = new ArrayList<>();
    steps.add(new RestoreStep(RestoreStep.Tool.IPSET, layout.ipsetScript(desired, families)));
    for (IpRange.Family f : families) {
      // After a boot the chain the jump comes from holds no jump of ours yet.
      steps.add(new RestoreStep(f == IpRange.Family.IPV4 ? RestoreStep.Tool.IPTABLES : RestoreStep.Tool.IP6TABLES,
          layout.restoreScript(f, new IptLayout.Jumps(0, false))));
    }
    return steps;
  }

  /** iptables' nf_tables flavour changes nf_tables, which {@code nft monitor} reports; the legacy one has no events. */
  @Override
  public Watch watch() {
    try {
      CommandResult version = runner.run(List.of("iptables", "-V"), new byte[0], TIMEOUT);
      if (!version.stdout().contains("nf_tables")) {
        return null;
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return Watch.nftMonitor("nft", List.of(layout.chain(), layout.jumpFrom()));
  }

  @Override
  public void teardown() throws WriterException {
    for (IpRange.Family f : families) {
      for (int i = jumps(f).count(); i > 0; i--) {
        runOk(List.of(iptables(f), "-w", "-D", layout.jumpFrom(), "-j", layout.chain()), iptables(f));
      }
      if (run(List.of(iptables(f), "-w", "-S", layout.chain()), "", iptables(f), "iptables").ok()) {
        runOk(List.of(iptables(f), "-w", "-F", layout.chain()), iptables(f));
        runOk(List.of(iptables(f), "-w", "-X", layout.chain()), iptables(f));
      }
    }
    for (IpRange.Family f : families) {
      for (String set : List.of(layout.set(f), layout.tmpSet(f))) {
        if (run(List.of("ipset", "list", "-n", set), "", "ipset", "ipset").ok()) {
          runOk(List.of("ipset", "destroy", set), "ipset");
        }
      }
    }
  }

  private void readSet(IpRange.Family f, TreeSet<IpRange> entries, List<String> drift) throws WriterException {
    CommandResult r = run(List.of("ipset", "save", layout.set(f)), "", "ipset", "ipset");
    if (!r.ok()) {
      if (r.stderr().contains("does not exist")) {
        drift.add(Holding.missing("ipset " + layout.set(f)));
        return;
      }
      throw new WriterException(name(), "cannot read ipset " + layout.set(f) + ": " + r.describeFailure());
    }
    for (String line : r.stdout().split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length >= 3 && parts[0].equals("add") && parts[1].equals(layout.set(f))) {
        try {
          entries.add(IpRange.parse(parts[2]));
        } catch (IllegalArgumentException e) {
          drift.add("ipset " + layout.set(f) + " holds an entry this writer did not write: " + parts[2]);
        }
      } else if (parts.length >= 3 && parts[0].equals("create") && !line.contains("hash:net")) {
        drift.add("ipset " + layout.set(f) + " is not of type hash:net");
      }
    }
  }

  private void readRules(IpRange.Family f, List<String> drift) throws WriterException {
    CommandResult r = run(List.of(iptables(f), "-w", "-S", layout.chain()), "", iptables(f), "iptables");
    if (!r.ok()) {
      drift.add(Holding.missing(iptables(f) + " chain " + layout.chain()));
    } else {
      List<String> rules = r.stdout().lines().filter(l -> l.startsWith("-A ")).toList();
      long ours = rules.stream().filter(l -> l.contains(layout.comment())).count();
      if (ours != layout.rules(f).size() || rules.size() != ours) {
        drift.add(iptables(f) + " chain " + layout.chain() + " holds " + rules.size() + " rules, " + ours
            + " of them the current ones of " + layout.rules(f).size());
      }
    }
    IptLayout.Jumps jumps = jumps(f);
    if (jumps.count() != 1) {
      drift.add(iptables(f) + " " + layout.jumpFrom() + " has " + jumps.count() + " jumps to " + layout.chain()
          + " instead of 1");
    } else if (!jumps.first()) {
      // A rule above the jump (an ACCEPT) would let strangers past the chain.
      drift.add(iptables(f) + " " + layout.jumpFrom() + ": the jump to " + layout.chain()
          + " is not the first rule");
    }
  }

  private IptLayout.Jumps jumps(IpRange.Family f) throws WriterException {
    CommandResult r = run(List.of(iptables(f), "-w", "-S", layout.jumpFrom()), "", iptables(f), "iptables");
    if (!r.ok()) {
      throw new WriterException(name(), "cannot read " + layout.jumpFrom() + ": " + r.describeFailure());
    }
    List<String> rules = r.stdout().lines().map(String::strip).filter(l -> l.startsWith("-A ")).toList();
    int count = (int) rules.stream().filter(layout.jumpRule()::equals).count();
    return new IptLayout.Jumps(count, !rules.isEmpty() && rules.get(0).equals(layout.jumpRule()));
  }

  /** Rules in the flavour (legacy or nf_tables) this writer does not use are invisible to it and may still filter. */
  private void warnAboutOtherFlavour() {
    try {
      CommandResult version = runner.run(List.of("iptables", "-V"), new byte[0], TIMEOUT);
      String mine = version.stdout().contains("nf_tables") ? "nf_tables" : "legacy";
      String other = mine.equals("nf_tables") ? "iptables-legacy" : "iptables-nft";
      CommandResult r = runner.run(List.of(other, "-w", "-S"), new byte[0], TIMEOUT);
      long rules = r.ok() ? r.stdout().lines().filter(l -> l.startsWith("-A ")).count() : 0;
      if (rules > 0) {
        log.warn("{}: iptables here is the {} flavour, but {} rule(s) exist in the other one ({}); they filter too,"
            + " and this writer does not see them", name(), mine, rules, other);
      }
    } catch (IOException e) {
      // The other flavour's binary is not installed, so there cannot be rules in it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runOk(List<String> argv, String program) throws WriterException {
    CommandResult r = run(argv, "", program, program.startsWith("ipset") ? "ipset" : "iptables");
    if (!r.ok()) {
      throw new WriterException(name(), "cannot remove: " + r.describeFailure());
    }
  }

  private CommandResult run(List<String> argv, String stdin, String program, String pkg) throws WriterException {
    try {
      return runner.run(argv, stdin.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    } catch (IOException e) {
      throw new WriterException(name(), program + " is not available (" + e.getMessage() + "); install the " + pkg
          + " package", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriterException(name(), "interrupted while running " + program, e);
    }
  }

  private static String iptables(IpRange.Family f) {
    return f == IpRange.Family.IPV4 ? "iptables" : "ip6tables";
  }

  private static String restore(IpRange.Family f) {
    return f == IpRange.Family.IPV4 ? "iptables-restore" : "ip6tables-restore";
  }
}
