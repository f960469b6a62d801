package io.feishuipsync.writer.aliyun;

import com.aliyun.slb20140515.Client;
import com.aliyun.slb20140515.models.AddAccessControlListEntryRequest;
import com.aliyun.slb20140515.models.DescribeAccessControlListAttributeRequest;
import com.aliyun.slb20140515.models.DescribeAccessControlListAttributeResponseBody.DescribeAccessControlListAttributeResponseBodyAclEntrysAclEntry;
import com.aliyun.slb20140515.models.DescribeAccessControlListAttributeResponseBody.DescribeAccessControlListAttributeResponseBodyRelatedListenersRelatedListener;
import com.aliyun.slb20140515.models.DescribeAccessControlListAttributeResponseBody;
import com.aliyun.slb20140515.models.RemoveAccessControlListEntryRequest;
import com.aliyun.tea.TeaException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Keeps the marked entries of an Alibaba Cloud CLB (SLB) access control list ({@link AclEntries}). A CLB listener
 * whose whitelist ACL holds no entry forwards every request (SLB's documentation says so), which is why the
 * converge never leaves the ACL empty, and why a teardown is refused while a listener uses the ACL as its
 * whitelist and nothing else would stay in it.
 */
final class ClbAclWriter implements AclWriter {

  private static final Logger log = LoggerFactory.getLogger(ClbAclWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** AddAccessControlListEntry and RemoveAccessControlListEntry take at most 50 entries a call. */
  static final int PER_CALL = 50;
  /** DescribeAccessControlListAttribute pages of at most 50 entries. */
  static final int PAGE_SIZE = 50;
  /** An ACL holds at most a few hundred entries; more pages than this is an answer not to trust. */
  static final int MAX_PAGES = 200;
  static final AliyunCalls.Product SLB = new AliyunCalls.Product("SLB", "slb", Set.of("SystemBusy",
      "OperationBusy", "OperationFailed.AclLocked"));

  /** Makes the SLB client on first use, so that a config check needs no credentials. */
  @FunctionalInterface
  interface Clients {
    Client get() throws Exception;
  }

  private final AliyunAclWriterTypes.Target t;
  private final AliyunCalls calls;
  private final Lazy<Client, Exception> client;
  private final AclEntries entries;

  ClbAclWriter(AliyunAclWriterTypes.Target target, Clients clients, Sleeper sleeper) {
    this.t = target;
    this.client = new Lazy<>(clients::get);
    this.calls = new AliyunCalls(name(), sleeper, SLB);
    this.entries = new AclEntries(name(), target.aclId(), target.marker(), target.maxEntries(), this, log);
  }

  @Override
  public String name() {
    return "aliyun-clb-acl:" + t.aclId();
  }

  @Override
  public Set<String> targets() {
    return Set.of("aliyun clb acl " + t.aclId() + " in " + t.region() + " marked " + t.marker());
  }






  @Override
  public AclEntries entries() {
    return entries;
  }

  @Override
  public int perCall() {
    return PER_CALL;
  }

  /**
   * Reads the ACL page by page: its address version, its entries and the listeners that use it as a whitelist;
   * everything comes from the network and is checked.
   */
  @Override
  public AclEntries.Acl read(boolean listeners) throws WriterException {
    return calls.call("DescribeAccessControlListAttribute", () -> {
      Map<IpRange, String> out = new LinkedHashMap<>();
      List<String> whitelists = new ArrayList<>();
      String version = null;
      for (int page = 1; ; page++) {
        if (page > MAX_PAGES) {
          throw new WriterException(name(), "DescribeAccessControlListAttribute answered more than " + MAX_PAGES
              + " pages for ACL " + t.aclId() + "; not trusting it");
        }
        DescribeAccessControlListAttributeResponseBody body = client.get().describeAccessControlListAttribute(
            new DescribeAccessControlListAttributeRequest().setRegionId(t.region()).setAclId(t.aclId())
                .setPage(page).setPageSize(PAGE_SIZE)).getBody();
        if (body == null) {
          throw new WriterException(name(), "DescribeAccessControlListAttribute answered without a body");
        }
        version = body.getAddressIPVersion();
        List<DescribeAccessControlListAttributeResponseBodyAclEntrysAclEntry> got =
            body.getAclEntrys() == null || body.getAclEntrys().getAclEntry() == null ? List.of()
                : body.getAclEntrys().getAclEntry();
        for (DescribeAccessControlListAttributeResponseBodyAclEntrysAclEntry e : got) {
          IpRange r = AclEntries.entry(name(), e == null ? null : e.getAclEntryIP());
          out.put(r, e.getAclEntryComment() == null ? "" : e.getAclEntryComment());
        }
        if (page == 1 && body.getRelatedListeners() != null
            && body.getRelatedListeners().getRelatedListener() != null) {
          for (DescribeAccessControlListAttributeResponseBodyRelatedListenersRelatedListener l
              : body.getRelatedListeners().getRelatedListener()) {
            if (l != null && "white".equalsIgnoreCase(l.getAclType())) {
              whitelists.add(Sanitize.text(l.getLoadBalancerId() + ":" + l.getListenerPort() + "/"
                  + l.getProtocol() + " (whitelist)", 120));
            }
          }
        }
        Integer total = body.getTotalAclEntry();
        if (got.size() < PAGE_SIZE || total != null && out.size() >= total) {
          break;
        }
      }
      Set<IpRange.Family> families = switch (String.valueOf(version).toLowerCase(java.util.Locale.ROOT)) {
        case "ipv4" -> Set.of(IpRange.Family.IPV4);
        case "ipv6" -> Set.of(IpRange.Family.IPV6);
        default -> throw new WriterException(name(), "DescribeAccessControlListAttribute answered an address"
            + " version '" + Sanitize.text(String.valueOf(version), 16) + "' for ACL " + t.aclId()
            + ", not ipv4 or ipv6");
      };
      return new AclEntries.Acl(families, out, listeners ? whitelists : List.of());
    });
  }

  @Override
  public void add(List<IpRange> batch, String description) throws WriterException {
    List<Map<String, String>> items = batch.stream().map(r -> Map.of("entry", r.toString(), "comment",
        description)).toList();
    AddAccessControlListEntryRequest req = new AddAccessControlListEntryRequest().setRegionId(t.region())
        .setAclId(t.aclId()).setAclEntrys(json(items));
    calls.call("AddAccessControlListEntry", () -> client.get().addAccessControlListEntry(req));
  }

  @Override
  public void remove(List<IpRange> batch) throws WriterException {
    List<Map<String, String>> items = batch.stream().map(r -> Map.of("entry", r.toString())).toList();
    RemoveAccessControlListEntryRequest req = new RemoveAccessControlListEntryRequest().setRegionId(t.region())
        .setAclId(t.aclId()).setAclEntrys(json(items));
    calls.call("RemoveAccessControlListEntry", () -> client.get().removeAccessControlListEntry(req));
  }

  /** SLB names an entry that is already there, or no longer there, in codes like {@code AclEntryExist}. */
  @Override
  public boolean conflict(WriterException e) {
    if (!(e.getCause() instanceof TeaException tea)) {
      return false;
    }
    String code = AliyunCalls.code(tea);
    return code.contains("AclEntry") && (code.contains("Exist") || code.contains("NotFound"));
  }

  private String json(List<Map<String, String>> items) throws WriterException {
    try {
      return JSON.writeValueAsString(items);
    } catch (JsonProcessingException e) {
      throw new WriterException(name(), "could not write the entries as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
