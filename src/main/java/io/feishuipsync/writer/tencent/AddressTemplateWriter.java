package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.vpc.v20170312.models.AddressInfo;
import com.tencentcloudapi.vpc.v20170312.models.AddressTemplate;
import com.tencentcloudapi.vpc.v20170312.models.DescribeAddressTemplatesRequest;
import com.tencentcloudapi.vpc.v20170312.models.Filter;
import com.tencentcloudapi.vpc.v20170312.models.ModifyAddressTemplateAttributeRequest;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
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
 * Keeps one IP address template holding exactly the list, for the operator's policies to reference. Each change is
 * one ModifyAddressTemplateAttribute call carrying the whole list, so the template goes from the old list to the
 * new one at once; the writer owns every address in it.
 */
final class AddressTemplateWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(AddressTemplateWriter.class);
  private static final int MAX_READ = 10_000;

  private final String id;
  private final String marker;
  private final int maxEntries;
  private final VpcCalls calls;

  AddressTemplateWriter(String id, String marker, int maxEntries, VpcCalls.Clients clients, Sleeper sleeper) {
    this.id = id;
    this.marker = marker;
    this.maxEntries = maxEntries;
    this.calls = new VpcCalls(name(), clients, sleeper);
  }

  @Override
  public String name() {
    return "tencentcloud-address-template:" + id;
  }

  @Override
  public Set<String> targets() {
    return Set.of("tencentcloud address template " + id);
  }

  @Override
  public void check() throws WriterException {
    template();
  }

  @Override
  public Holding read() throws WriterException {
    return Holding.of(entries(template()));
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    TreeSet<IpRange> current = entries(template());
    if (desired.size() > maxEntries) {
      throw new WriterException(name(), "the template would hold " + desired.size() + " addresses but max_rules is "
          + maxEntries + "; nothing changed. Raise max_rules to the account's addresses-per-template quota");
    }
    modify(desired);
    log.info("{}: now {} addresses ({} added, {} removed)", id, desired.size(),
        desired.stream().filter(r -> !current.contains(r)).count(),
        current.stream().filter(r -> !desired.contains(r)).count());
  }

  @Override
  public void teardown() throws WriterException {
    template();
    modify(new TreeSet<>());
  }

  /** The whole list in one call: the template never holds a mix of the old list and the new one. */
  private void modify(SortedSet<IpRange> list) throws WriterException {
    ModifyAddressTemplateAttributeRequest req = new ModifyAddressTemplateAttributeRequest();
    req.setAddressTemplateId(id);
    req.setAddressesExtra(list.stream().map(r -> {
      AddressInfo a = new AddressInfo();
      a.setAddress(r.toString());
      a.setDescription(marker);
      return a;
    }).toArray(AddressInfo[]::new));
    calls.call("ModifyAddressTemplateAttribute", vpc -> vpc.ModifyAddressTemplateAttribute(req));
  }

  private AddressTemplate template() throws WriterException {
    Filter f = new Filter();
    f.setName("address-template-id");
    f.setValues(new String[] {id});
    DescribeAddressTemplatesRequest req = new DescribeAddressTemplatesRequest();
    req.setFilters(new Filter[] {f});
    AddressTemplate[] found = calls.call("DescribeAddressTemplates",
        vpc -> vpc.DescribeAddressTemplates(req).getAddressTemplateSet());
    if (found != null) {
      for (AddressTemplate t : found) {
        if (t != null && id.equals(t.getAddressTemplateId())) {
          return t;
        }
      }
    }
    throw new WriterException(name(), "address template " + id + " does not exist in this region; check"
        + " template_id and region");
  }

  /** The template's addresses; one this writer cannot read (a range, a name) is an error, never skipped. */
  private TreeSet<IpRange> entries(AddressTemplate t) throws WriterException {
    List<String> raw = new ArrayList<>();
    if (t.getAddressExtraSet() != null && t.getAddressExtraSet().length > 0) {
      for (AddressInfo a : t.getAddressExtraSet()) {
        raw.add(a == null ? null : a.getAddress());
      }
    } else if (t.getAddressSet() != null) {
      raw.addAll(List.of(t.getAddressSet()));
    }
    if (raw.size() > MAX_READ) {
      throw new WriterException(name(), "the template answered with " + raw.size() + " addresses; refusing");
    }
    TreeSet<IpRange> out = new TreeSet<>();
    for (String s : raw) {
      try {
        out.add(IpRange.parse(s));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new WriterException(name(), "the template holds an address this writer cannot read: "
            + Sanitize.text(s, 64) + "; it owns the whole template, so remove that address or use another template");
      }
    }
    return out;
  }
}
