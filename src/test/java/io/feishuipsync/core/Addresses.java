package io.feishuipsync.core;

import java.util.SortedSet;
import java.util.TreeSet;

/** Address sets tests build, all from the documentation ranges. */
public final class Addresses {

  private Addresses() {}

  /** The given addresses or prefixes, parsed. */
  public static SortedSet<IpRange> ips(String... s) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (String x : s) {
      out.add(IpRange.parse(x));
    }
    return out;
  }

  /** 198.51.100.{@code from} .. 198.51.100.{@code to}. */
  public static SortedSet<IpRange> range(int from, int to) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = from; i <= to; i++) {
      out.add(IpRange.parse("198.51.100." + i));
    }
    return out;
  }

  /** The first {@code n} (at most 512) of 198.51.100.0, .1, ... .255, then 203.0.113.0, .1, ... */
  public static SortedSet<IpRange> first(int n) {
    TreeSet<IpRange> out = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      out.add(IpRange.parse((i < 256 ? "198.51.100." : "203.0.113.") + (i % 256)));
    }
    return out;
  }
}
