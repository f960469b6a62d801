package io.feishuipsync.writer.aliyun;

import com.aliyun.ecs20140526.models.DescribeSecurityGroupAttributeResponseBody.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission;
import io.feishuipsync.cloud.RuleKey;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.aliyun.EcsSecurityGroupWriter.GroupRules;
import io.feishuipsync.writer.aliyun.EcsSecurityGroupWriter.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sorts a group's rules, as ECS describes them, into ours, marked strays, and the others. */
final class EcsRules {

  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})/([0-9]{1,5})");

  private EcsRules() {}

  /**
   * A rule is ours when it is an ingress rule whose description is exactly the marker. Of those, an accept rule of
   * priority 1 for one address block, our protocol and one port range is kept by its key; any other (a second copy,
   * a drop rule, a group or prefix list source) is a stray to remove. Rule ids come from the network and are
   * checked before they are used or logged.
   */
  static GroupRules classify(String writer, Target t,
      List<DescribeSecurityGroupAttributeResponseBodyPermissionsPermission> rules) throws WriterException {
    Map<RuleKey, String> ours = new HashMap<>();
    List<String> strays = new ArrayList<>();
    Map<RuleKey, String> covered = new HashMap<>();
    int foreign = 0;
    for (DescribeSecurityGroupAttributeResponseBodyPermissionsPermission r : rules) {
      if (r == null || !"ingress".equalsIgnoreCase(r.getDirection()) || !t.marker().equals(r.getDescription())) {
        foreign++;
        RuleKey k = r == null || !"ingress".equalsIgnoreCase(r.getDirection()) ? null : key(t, r);
        String id = r == null ? null : r.getSecurityGroupRuleId();
        if (k != null && id != null && RULE_ID.matcher(id).matches()) {
          // ECS takes the same rule under another description as already there: sending ours would create nothing.
          covered.putIfAbsent(k, id);
        }
        continue;
      }
      String id = r.getSecurityGroupRuleId();
      if (id == null || !RULE_ID.matcher(id).matches()) {
        throw new WriterException(writer, "a rule with the marker has no usable rule id ('"
            + Sanitize.text(String.valueOf(id), 64) + "'); nothing changed");
      }
      RuleKey k = key(t, r);
      if (k == null || ours.containsKey(k)) {
        strays.add(id);
      } else {
        ours.put(k, id);
      }
    }
    return new GroupRules(ours, strays, foreign, covered);
  }

  /** The key of a rule of ours, or null when it is not a plain accept rule this writer would have written. */
  private static RuleKey key(Target t, DescribeSecurityGroupAttributeResponseBodyPermissionsPermission r) {
    String v4 = blankToNull(r.getSourceCidrIp());
    String v6 = blankToNull(r.getIpv6SourceCidrIp());
    if ((v4 == null) == (v6 == null) || blankToNull(r.getSourceGroupId()) != null
        || blankToNull(r.getSourcePrefixListId()) != null || !"accept".equalsIgnoreCase(r.getPolicy())
        || !(r.getPriority() == null || r.getPriority().equals("1")) || r.getIpProtocol() == null
        || r.getPortRange() == null) {
      return null;
    }
    Matcher m = PORTS.matcher(r.getPortRange());
    if (!m.matches()) {
      return null;
    }
    try {
      IpRange cidr = IpRange.parse(v4 != null ? v4 : v6);
      if ((v4 != null) != (cidr.family() == IpRange.Family.IPV4)) {
        return null;
      }
      return new RuleKey(cidr, r.getIpProtocol().toLowerCase(Locale.ROOT), Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
