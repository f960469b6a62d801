package io.feishuipsync.writer.aliyun;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.writer.WriterContext;
import io.feishuipsync.writer.WriterType;

/**
 * {@code type: aliyun-alb-acl} and {@code type: aliyun-clb-acl}: the entries of an Alibaba Cloud load balancer's
 * access control list, marked by their description, for a listener that uses the ACL as its whitelist.
 */
public final class AliyunAclWriterTypes {

  /** An ALB access control list. */
  public static final WriterType<Settings> ALB =
      WriterType.of("aliyun-alb-acl", Settings.class, AliyunAclWriterTypes::alb).inCluster();

  /** A CLB (SLB) access control list. */
  public static final WriterType<Settings> CLB =
      WriterType.of("aliyun-clb-acl", Settings.class, AliyunAclWriterTypes::clb).inCluster();

  /** ALB's documented entries per ACL (the console's quota page may say more; max_entries follows it). */
  static final int ALB_ENTRIES = 500;
  /** CLB's documented entries per ACL. */
  static final int CLB_ENTRIES = 300;

  /**
   * Settings of the ACL writers: the connection keys as for {@code aliyun-security-group}, and
   *
   * @param aclId the ACL, e.g. {@code acl-bp1l0kk4gxce43k5xxxx}
   * @param description the marker: the writer owns the entries with exactly this description (default
   *     {@code feishu-ipsync}); entries with another are left as they are
   * @param maxEntries the ACL's entry quota (default 500 for ALB, 300 for CLB), checked at the peak of a change
   */
  public record Settings(String region, String endpoint, String accessKeyId, String accessKeySecret,
      String accessKeySecretFile, String aclId, String description, Integer maxEntries) {}

  /** What both writers are given: the ACL, its marker and quota. */
  record Target(String region, String aclId, String marker, int maxEntries) {}

  private AliyunAclWriterTypes() {}

  private static Writer alb(Settings s, WriterContext context) {
    AliyunConnection connection = connection(s, context);
    return new AlbAclWriter(target(s, connection, ALB_ENTRIES), connection::alb, Sleeper.SYSTEM);
  }

  private static Writer clb(Settings s, WriterContext context) {
    AliyunConnection connection = connection(s, context);
    return new ClbAclWriter(target(s, connection, CLB_ENTRIES), connection::slb, Sleeper.SYSTEM);
  }

  private static AliyunConnection connection(Settings s, WriterContext context) {
    return AliyunConnection.of(s.region(), s.endpoint(), s.accessKeyId(), s.accessKeySecret(),
        s.accessKeySecretFile(), context);
  }

  private static Target target(Settings s, AliyunConnection connection, int quota) {
    if (s.aclId() == null || !s.aclId().matches("acl-[a-z0-9]{8,40}")) {
      throw new ConfigException("acl_id", s.aclId() == null ? "missing, e.g. acl-bp1l0kk4gxce43k5xxxx"
          : "'" + s.aclId().replaceAll("\\p{Cntrl}", "?") + "' is not an access control list id");
    }
    String marker = s.description() == null ? "feishu-ipsync" : s.description();
    // Both services take 2..256 characters of a few kinds; the marker is compared exactly, so a plain word.
    if (!marker.matches("[A-Za-z][A-Za-z0-9,.;/@_-]{1,63}")) {
      throw new ConfigException("description", "must be 2..64 characters: a letter, then letters, digits and , . ; /"
          + " @ _ -");
    }
    int maxEntries = s.maxEntries() == null ? quota : s.maxEntries();
    if (maxEntries < 1 || maxEntries > 10_000) {
      throw new ConfigException("max_entries", maxEntries + " is outside 1..10000");
    }
    return new Target(connection.region(), s.aclId(), marker, maxEntries);
  }
}
