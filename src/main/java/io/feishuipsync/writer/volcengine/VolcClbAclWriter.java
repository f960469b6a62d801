package io.feishuipsync.writer.volcengine;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.cloud.AclEntries;
import io.feishuipsync.cloud.AclWriter;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the marked entries of a Volcano Engine CLB access control list ({@link AclEntries}: add before remove, the
 * quota at the peak, never empty). A CLB ACL takes IPv4 and IPv6 entries; AddAclEntries and RemoveAclEntries take 50
 * entries a call.
 */
final class VolcClbAclWriter implements AclWriter {

  private static final Logger log = LoggerFactory.getLogger(VolcClbAclWriter.class);
  static final int PER_CALL = 50;
  /** More entries than this in one answer is not to be trusted. */
  static final int MAX_ENTRIES_READ = 10_000;

  private final String region;
  private final String aclId;
  private final String marker;
  private final VolcCalls calls;
  private final AclEntries entries;

  VolcClbAclWriter(String region, String aclId, String marker, int maxEntries, Lazy<VolcApi, RuntimeException> api,
      Sleeper sleeper) {
    this.region = region;
    this.aclId = aclId;
    this.marker = marker;
    this.calls = new VolcCalls(name(), sleeper, "clb", api);
    this.entries = new AclEntries(name(), aclId, marker, maxEntries, this, log);
  }

  @Override
  public String name() {
    return "volcengine-clb-acl:" + aclId;
  }

  @Override
  public Set<String> targets() {
    return Set.of("volcengine clb acl " + aclId + " in " + region + " marked " + marker);
  }






  @Override
  public AclEntries entries() {
    return entries;
  }

  @Override
  public int perCall() {
    return PER_CALL;
  }

  @Override
  public AclEntries.Acl read(boolean listeners) throws WriterException {
    JsonNode result = calls.call("DescribeAclAttributes", Map.of("AclId", aclId));
    JsonNode got = result.path("AclEntries");
    if (!got.isArray() && !got.isMissingNode() && !got.isNull() || got.size() > MAX_ENTRIES_READ) {
      throw new WriterException(name(), "DescribeAclAttributes answered AclEntries that are not a list of at most "
          + MAX_ENTRIES_READ);
    }
    Map<IpRange, String> out = new LinkedHashMap<>();
    for (JsonNode e : got) {
      out.put(AclEntries.entry(name(), e.path("Entry").asText(null)), e.path("Description").asText(""));
    }
    List<String> used = new ArrayList<>();
    for (JsonNode l : result.path("Listeners")) {
      // A listener whose ACL type is not said counts as a whitelist: the safer reading.
      if (!"black".equalsIgnoreCase(l.path("AclType").asText(""))) {
        used.add(Sanitize.text(l.path("ListenerId").asText("?") + ":" + l.path("Port").asText("?"), 120));
      }
    }
    return new AclEntries.Acl(Set.of(IpRange.Family.IPV4, IpRange.Family.IPV6), out, listeners ? used : List.of());
  }

  @Override
  public void add(List<IpRange> batch, String description) throws WriterException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("AclId", aclId);
    for (int i = 0; i < batch.size(); i++) {
      p.put("AclEntries." + (i + 1) + ".Entry", batch.get(i).toString());
      p.put("AclEntries." + (i + 1) + ".Description", description);
    }
    calls.call("AddAclEntries", p);
  }

  @Override
  public void remove(List<IpRange> batch) throws WriterException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("AclId", aclId);
    for (int i = 0; i < batch.size(); i++) {
      p.put("Entries." + (i + 1), batch.get(i).toString());
    }
    calls.call("RemoveAclEntries", p);
  }

  /** An entry already there or already gone: the codes name the entry and say so. */
  @Override
  public boolean conflict(WriterException e) {
    String code = e.getCause() instanceof VolcApi.Refusal r ? r.code : "";
    return code.contains("Entry") && (code.contains("Exist") || code.contains("NotFound"));
  }
}
