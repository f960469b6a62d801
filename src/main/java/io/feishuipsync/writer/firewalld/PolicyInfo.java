package io.feishuipsync.writer.firewalld;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code firewall-cmd --info-policy=NAME} says of a policy: its priority, zones and rich rules.
 *
 * @param priority the priority as printed, or null when not printed
 * @param ingress the ingress zones, as printed
 * @param egress the egress zones, as printed
 * @param richRules the rich rules, one each
 */
record PolicyInfo(String priority, String ingress, String egress, Set<String> richRules) {

  /** Reads the output of {@code --info-policy}; lines it does not know are ignored. */
  static PolicyInfo parse(String out) {
    String priority = null;
    String ingress = "";
    String egress = "";
    Set<String> rules = new LinkedHashSet<>();
    boolean inRules = false;
    for (String line : out.split("\n")) {
      String t = line.strip();
      if (inRules && line.startsWith("\t") && t.startsWith("rule ")) {
        rules.add(t.replaceAll("\\s+", " "));
        continue;
      }
      inRules = false;
      if (t.startsWith("priority:")) {
        priority = t.substring("priority:".length()).strip();
      } else if (t.startsWith("ingress-zones:")) {
        ingress = t.substring("ingress-zones:".length()).strip();
      } else if (t.startsWith("egress-zones:")) {
        egress = t.substring("egress-zones:".length()).strip();
      } else if (t.startsWith("rich rules:")) {
        inRules = true;
      }
    }
    return new PolicyInfo(priority, ingress, egress, rules);
  }

  /** What differs from {@code layout}, one phrase each, for the drift report. */
  List<String> differences(FirewalldLayout layout, String where) {
    List<String> out = new ArrayList<>();
    if (!Integer.toString(layout.priority()).equals(priority)) {
      out.add(where + " policy " + layout.policy() + " has priority " + priority + ", not " + layout.priority());
    }
    if (!ingress.equals("ANY") || !egress.equals("HOST")) {
      out.add(where + " policy " + layout.policy() + " goes from '" + ingress + "' to '" + egress
          + "', not from ANY to HOST");
    }
    Set<String> want = new LinkedHashSet<>(layout.richRules());
    if (!richRules.equals(want)) {
      out.add(where + " policy " + layout.policy() + " holds other rich rules than the writer's");
    }
    return out;
  }
}
