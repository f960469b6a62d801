package io.feishuipsync.writer.firewalld;

import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What firewalld holds of one writer's objects, in its permanent and its runtime configuration, and what the
 * kernel holds of its ipsets.
 */
final class FirewalldState {

  private static final String PERMANENT = "--permanent";

  private final Map<IpRange.Family, SortedSet<IpRange>> permanent = new EnumMap<>(IpRange.Family.class);
  private final Map<IpRange.Family, SortedSet<IpRange>> runtime = new EnumMap<>(IpRange.Family.class);
  private final Map<IpRange.Family, SortedSet<IpRange>> kernel = new EnumMap<>(IpRange.Family.class);
  private final Map<IpRange.Family, Boolean> ipsetPermanent = new EnumMap<>(IpRange.Family.class);
  private final Map<IpRange.Family, Boolean> ipsetRuntime = new EnumMap<>(IpRange.Family.class);
  private final List<String> unreadable = new ArrayList<>();
  /** How firewalld wrote each entry it holds: a removal must name it so ({@code 192.0.2.1}, not {@code /32}). */
  private final Map<IpRange, String> written = new HashMap<>();
  private PolicyInfo permanentPolicy;
  private PolicyInfo runtimePolicy;

  private FirewalldState() {}

  static FirewalldState read(FirewalldLayout layout, FirewallCmd cmd, KernelView view) throws WriterException {
    FirewalldState s = new FirewalldState();
    List<String> ipsets = Arrays.asList(cmd.must(PERMANENT, "--get-ipsets").strip().split("\\s+"));
    List<String> policies = Arrays.asList(cmd.must(PERMANENT, "--get-policies").strip().split("\\s+"));
    for (IpRange.Family f : IpRange.Family.values()) {
      String name = layout.ipset(f);
      s.ipsetPermanent.put(f, ipsets.contains(name));
      s.permanent.put(f, ipsets.contains(name)
          ? s.entries(name, cmd.must(PERMANENT, "--ipset=" + name, "--get-entries")) : new TreeSet<>());
      String held = cmd.ifExists("--ipset=" + name, "--get-entries");
      s.ipsetRuntime.put(f, held != null);
      s.runtime.put(f, held == null ? new TreeSet<>() : s.entries(name, held));
      s.kernel.put(f, view.elements(name));
    }
    if (policies.contains(layout.policy())) {
      s.permanentPolicy = PolicyInfo.parse(cmd.must(PERMANENT, "--info-policy=" + layout.policy()));
    }
    String policy = cmd.ifExists("--info-policy=" + layout.policy());
    s.runtimePolicy = policy == null ? null : PolicyInfo.parse(policy);
    return s;
  }

  private SortedSet<IpRange> entries(String ipset, String out) {
    SortedSet<IpRange> set = new TreeSet<>();
    for (String line : out.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      try {
        IpRange r = IpRange.parse(t);
        set.add(r);
        written.putIfAbsent(r, t);
      } catch (IllegalArgumentException e) {
        unreadable.add("ipset " + ipset + " holds '" + Sanitize.text(t, 60) + "', not an address");
      }
    }
    return set;
  }

  /** {@code r} as firewalld holds it, or as this writer writes a new entry: a single address without its length. */
  String written(IpRange r) {
    return written.getOrDefault(r, r.isSingleAddress() ? r.addressText() : r.toString());
  }

  /** True when every object is in both configurations: only the list and the rules may need changing. */
  boolean created() {
    return policyExists() && runtimePolicy != null && Arrays.stream(IpRange.Family.values())
        .allMatch(f -> ipsetPermanent.get(f) && ipsetRuntime.get(f));
  }

  boolean policyExists() {
    return permanentPolicy != null;
  }

  boolean ipsetExists(IpRange.Family f) {
    return ipsetPermanent.get(f);
  }

  PolicyInfo permanentPolicy() {
    return permanentPolicy;
  }

  PolicyInfo runtimePolicy() {
    return runtimePolicy;
  }

  SortedSet<IpRange> permanent(IpRange.Family f) {
    return permanent.get(f);
  }

  SortedSet<IpRange> runtime(IpRange.Family f) {
    return runtime.get(f);
  }

  /** True when the kernel holds what firewalld says (or when it cannot be known). */
  boolean kernelMatches() {
    return Arrays.stream(IpRange.Family.values())
        .allMatch(f -> kernel.get(f) == null || kernel.get(f).equals(runtime.get(f)));
  }

  /** What the target admits (the kernel's view where it is known) and everything amiss. */
  Holding holding(FirewalldLayout layout) {
    SortedSet<IpRange> admits = new TreeSet<>();
    List<String> drift = new ArrayList<>(unreadable);
    for (IpRange.Family f : IpRange.Family.values()) {
      String name = layout.ipset(f);
      admits.addAll(kernel.get(f) != null ? kernel.get(f) : runtime.get(f));
      if (!ipsetPermanent.get(f)) {
        drift.add(Holding.missing("permanent ipset " + name));
      } else if (!permanent.get(f).equals(runtime.get(f))) {
        drift.add("ipset " + name + " differs between the permanent and the runtime configuration");
      }
      if (!ipsetRuntime.get(f)) {
        drift.add(Holding.missing("runtime ipset " + name));
      }
      if (kernel.get(f) != null && !kernel.get(f).equals(runtime.get(f))) {
        drift.add("the kernel's set " + name + " does not hold what firewalld says it holds (flushed?)");
      }
    }
    if (permanentPolicy == null) {
      drift.add(Holding.missing("permanent policy " + layout.policy()));
    } else {
      drift.addAll(permanentPolicy.differences(layout, "permanent"));
    }
    if (runtimePolicy == null) {
      drift.add(Holding.missing("runtime policy " + layout.policy()));
    } else {
      drift.addAll(runtimePolicy.differences(layout, "runtime"));
    }
    return new Holding(admits, drift);
  }
}
