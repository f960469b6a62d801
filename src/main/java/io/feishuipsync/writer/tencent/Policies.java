package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.vpc.v20170312.models.SecurityGroupPolicy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.WriterException;
import java.util.Locale;

/** How the policy writer's policies look on the wire: what it writes, what it recognises as its own. */
final class Policies {

  /** One policy this writer wants or owns. */
  record Key(IpRange cidr, String protocol, String port) {}

  private Policies() {}

  /** The key of a marked policy, or null when it is not a plain ACCEPT address policy. */
  static Key key(SecurityGroupPolicy p) {
    boolean v4 = set(p.getCidrBlock());
    boolean v6 = set(p.getIpv6CidrBlock());
    if (v4 == v6 || !"ACCEPT".equalsIgnoreCase(p.getAction()) || p.getProtocol() == null || p.getPort() == null
        || set(p.getSecurityGroupId()) || (p.getAddressTemplate() != null
        && (set(p.getAddressTemplate().getAddressId()) || set(p.getAddressTemplate().getAddressGroupId())))) {
      return null;
    }
    try {
      IpRange cidr = IpRange.parse(v4 ? p.getCidrBlock() : p.getIpv6CidrBlock());
      return new Key(cidr, p.getProtocol().toUpperCase(Locale.ROOT), p.getPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The API answers an absent field with an empty string. */
  static boolean set(String s) {
    return s != null && !s.isEmpty();
  }

  /**
   * The marked ACCEPT policy for {@code k} at index 0: created at the top of the group, so that a DROP policy of the
   * operator's further down cannot shadow it.
   */
  static SecurityGroupPolicy policy(Key k, String marker) {
    SecurityGroupPolicy p = new SecurityGroupPolicy();
    p.setPolicyIndex(0L);
    p.setProtocol(k.protocol());
    p.setPort(k.port());
    if (k.cidr().family() == IpRange.Family.IPV4) {
      p.setCidrBlock(k.cidr().toString());
    } else {
      p.setIpv6CidrBlock(k.cidr().toString());
    }
    p.setAction("ACCEPT");
    p.setPolicyDescription(marker);
    return p;
  }

  /**
   * A change refused because the group's Version moved on. Tencent Cloud does not publish the code of that refusal;
   * the writer takes any refusal whose code or message names the version as one.
   */
  static boolean isConflict(WriterException e) {
    String code = VpcCalls.code(e).toLowerCase(Locale.ROOT);
    String msg = e.getCause() == null || e.getCause().getMessage() == null ? ""
        : e.getCause().getMessage().toLowerCase(Locale.ROOT);
    return !code.isEmpty() && !code.startsWith("authfailure") && (code.contains("version") || msg.contains("version"));
  }
}
