package io.feishuipsync.writer.firewalld;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the allowlist as firewalld objects an operator sees with {@code firewall-cmd} ({@link FirewalldLayout}),
 * in the runtime and the permanent configuration alike, so that {@code --reload}, {@code --complete-reload} and a
 * reboot keep it. A list changes without a reload: entries are added to both configurations before others are
 * removed. Only the first creation of the objects reloads firewalld (firewalld creates an ipset or a policy in its
 * permanent configuration only), and so does a repair when the kernel lost what firewalld says it holds.
 */
final class FirewalldWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(FirewalldWriter.class);
  private static final String PERMANENT = "--permanent";

  private final FirewalldLayout layout;
  private final FirewallCmd cmd;
  private final KernelView kernel;

  FirewalldWriter(FirewalldLayout layout, FirewallCmd cmd, KernelView kernel) {
    this.layout = layout;
    this.cmd = cmd;
    this.kernel = kernel;
  }

  @Override
  public String name() {
    return "firewalld:policy " + layout.policy();
  }

  @Override
  public Set<String> targets() {
    return Set.of("firewalld policy " + layout.policy(), "firewalld ipset " + layout.ipsetV4(),
        "firewalld ipset " + layout.ipsetV6());
  }

  @Override
  public boolean local() {
    return true;
  }

  @Override
  public void check() throws WriterException {
    String state = cmd.must("--state").strip();
    if (!state.equals("running")) {
      throw new WriterException(name(), "firewalld is not running (firewall-cmd --state: " + state + ")");
    }
  }

  @Override
  public Holding read() throws WriterException {
    return FirewalldState.read(layout, cmd, kernel).holding(layout);
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    FirewalldState now = FirewalldState.read(layout, cmd, kernel);
    if (!now.created()) {
      create(now, desired);
      return;
    }
    List<Runnable> undo = new ArrayList<>();
    try {
      for (boolean permanent : new boolean[] {false, true}) {
        fixPolicy(permanent ? now.permanentPolicy() : now.runtimePolicy(), permanent, undo);
        for (IpRange.Family f : IpRange.Family.values()) {
          SortedSet<IpRange> add = family(desired, f);
          add.removeAll(permanent ? now.permanent(f) : now.runtime(f));
          entries(now, f, add, "--add-entry=", permanent);
          undo.add(() -> quietly(() -> entries(now, f, add, "--remove-entry=", permanent)));
        }
      }
    } catch (WriterException e) {
      // Nothing was removed yet: taking back what was added leaves the list as it was.
      for (int i = undo.size() - 1; i >= 0; i--) {
        undo.get(i).run();
      }
      throw e;
    }
    // Every address of the new list is admitted in both configurations: now the old ones go. A failure here leaves
    // the new list and some old addresses, which the next run removes; never fewer than the new list.
    for (boolean permanent : new boolean[] {false, true}) {
      for (IpRange.Family f : IpRange.Family.values()) {
        SortedSet<IpRange> gone = new TreeSet<>(permanent ? now.permanent(f) : now.runtime(f));
        gone.removeAll(family(desired, f));
        entries(now, f, gone, "--remove-entry=", permanent);
      }
    }
    if (!now.kernelMatches()) {
      log.warn("{}: the kernel does not hold what firewalld says it holds (a flush?); reloading firewalld", name());
      kernel.ensureTable();
      cmd.must("--reload");
    }
  }

  /** Makes the policy in one configuration hold the writer's rules: new ones added before wrong ones go. */
  private void fixPolicy(PolicyInfo policy, boolean permanent, List<Runnable> undo) throws WriterException {
    for (String rule : layout.richRules()) {
      if (!policy.richRules().contains(rule)) {
        policyCall(permanent, "--add-rich-rule=" + rule);
        undo.add(() -> quietly(() -> policyCall(permanent, "--remove-rich-rule=" + rule)));
      }
    }
    for (String rule : policy.richRules()) {
      if (!layout.richRules().contains(rule)) {
        policyCall(permanent, "--remove-rich-rule=" + rule);
      }
    }
    if (!Integer.toString(layout.priority()).equals(policy.priority())) {
      policyCall(permanent, "--set-priority=" + layout.priority());
    }
    if (!policy.ingress().equals("ANY")) {
      for (String zone : policy.ingress().isBlank() ? new String[0] : policy.ingress().split(" ")) {
        policyCall(permanent, "--remove-ingress-zone=" + zone);
      }
      policyCall(permanent, "--add-ingress-zone=ANY");
    }
    if (!policy.egress().equals("HOST")) {
      for (String zone : policy.egress().isBlank() ? new String[0] : policy.egress().split(" ")) {
        policyCall(permanent, "--remove-egress-zone=" + zone);
      }
      policyCall(permanent, "--add-egress-zone=HOST");
    }
  }

  private void policyCall(boolean permanent, String action) throws WriterException {
    List<String> args = new ArrayList<>();
    if (permanent) {
      args.add(PERMANENT);
    }
    args.add("--policy=" + layout.policy());
    args.add(action);
    cmd.must(args.toArray(String[]::new));
  }

  /** Creates the objects in the permanent configuration, the list in its ipsets, then loads them: one reload. */
  private void create(FirewalldState now, SortedSet<IpRange> desired) throws WriterException {
    for (IpRange.Family f : IpRange.Family.values()) {
      if (!now.ipsetExists(f)) {
        cmd.must(PERMANENT, "--new-ipset=" + layout.ipset(f), "--type=hash:net",
            "--option=family=" + (f == IpRange.Family.IPV4 ? "inet" : "inet6"), "--option=maxelem=1048576");
      }
      SortedSet<IpRange> add = family(desired, f);
      add.removeAll(now.permanent(f));
      entries(now, f, add, "--add-entry=", true);
      SortedSet<IpRange> gone = new TreeSet<>(now.permanent(f));
      gone.removeAll(family(desired, f));
      entries(now, f, gone, "--remove-entry=", true);
    }
    if (!now.policyExists()) {
      cmd.must(PERMANENT, "--new-policy=" + layout.policy());
    }
    fixPolicy(now.policyExists() ? now.permanentPolicy() : PolicyInfo.parse(""), true, new ArrayList<>());
    log.info("{}: created in firewalld's permanent configuration; reloading firewalld once to load it", name());
    cmd.must("--reload");
  }

  /** Adds or removes {@code entries} of family {@code f}, a few hundred a call. */
  private void entries(FirewalldState now, IpRange.Family f, SortedSet<IpRange> entries, String action,
      boolean permanent) throws WriterException {
    List<IpRange> all = new ArrayList<>(entries);
    for (int i = 0; i < all.size(); i += 500) {
      List<String> args = new ArrayList<>();
      if (permanent) {
        args.add(PERMANENT);
      }
      args.add("--ipset=" + layout.ipset(f));
      all.subList(i, Math.min(all.size(), i + 500)).forEach(r -> args.add(action + now.written(r)));
      cmd.must(args.toArray(String[]::new));
    }
  }

  static SortedSet<IpRange> family(SortedSet<IpRange> all, IpRange.Family f) {
    SortedSet<IpRange> out = new TreeSet<>();
    all.stream().filter(r -> r.family() == f).forEach(out::add);
    return out;
  }

  /** Undoing is best effort: the next run converges whatever is left. */
  private void quietly(Step step) {
    try {
      step.run();
    } catch (WriterException e) {
      log.warn("{}: could not undo a step: {}", name(), e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws WriterException;
  }

  @Override
  public void teardown() throws WriterException {
    FirewalldState now = FirewalldState.read(layout, cmd, kernel);
    boolean any = false;
    if (now.policyExists()) {
      cmd.must(PERMANENT, "--delete-policy=" + layout.policy());
      any = true;
    }
    for (IpRange.Family f : IpRange.Family.values()) {
      if (now.ipsetExists(f)) {
        cmd.must(PERMANENT, "--delete-ipset=" + layout.ipset(f));
        any = true;
      }
    }
    if (any) {
      cmd.must("--reload");
    }
  }
}
