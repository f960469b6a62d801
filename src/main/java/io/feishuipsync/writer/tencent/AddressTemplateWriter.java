package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.vpc.v20170312.models.AddressInfo;
import com.tencentcloudapi.vpc.v20170312.models.AddressTemplate;
import com.tencentcloudapi.vpc.v20170312.models.DescribeAddressTemplatesRequest;
import com.tencentcloudapi.vpc.v20170312.models.DescribeVpcTaskResultRequest;
import com.tencentcloudapi.vpc.v20170312.models.DescribeVpcTaskResultResponse;
import com.tencentcloudapi.vpc.v20170312.models.Filter;
import com.tencentcloudapi.vpc.v20170312.models.ModifyAddressTemplateAttributeRequest;
import io.feishuipsync.cloud.Readings;
import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
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
 * new one at once; the writer owns every address in it. The call is asynchronous: the writer waits for its task
 * (DescribeVpcTaskResult, by the call's RequestId) and reports success only when the task succeeded.
 */
final class AddressTemplateWriter implements Writer {

  private static final Logger log = LoggerFactory.getLogger(AddressTemplateWriter.class);
  private static final int MAX_READ = 10_000;
  /** How long a template change may run before the writer gives up waiting (the next run reads and retries). */
  static final Duration TASK_WAIT = Duration.ofSeconds(60);
  private static final Duration TASK_POLL = Duration.ofSeconds(1);

  private final String id;
  private final String marker;
  private final int maxEntries;
  private final VpcCalls calls;
  private final Sleeper sleeper;
  private final Readings<AddressTemplate> readings = new Readings<>(template -> template());

  AddressTemplateWriter(String id, String marker, int maxEntries, VpcCalls.Clients clients, Sleeper sleeper) {
    this.id = id;
    this.marker = marker;
    this.maxEntries = maxEntries;
    this.calls = new VpcCalls(name(), clients, sleeper);
    this.sleeper = sleeper;
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
    readings.fresh(id);
  }

  /** From the check's reading (one describe a run); a change describes again. */
  @Override
  public Holding read() throws WriterException {
    return Holding.of(entries(readings.reuse(id)));
  }

  @Override
  public void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    TreeSet<IpRange> current = entries(template());
    if (desired.size() > maxEntries) {
      throw new WriterException(name(), "the template would hold " + desired.size() + " addresses but max_rules is "
          + maxEntries + "; nothing changed. Raise max_rules to the account's addresses-per-template quota");
    }
    readings.forget();
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
    String task = calls.call("ModifyAddressTemplateAttribute",
        vpc -> vpc.ModifyAddressTemplateAttribute(req).getRequestId());
    if (task == null || !task.matches("[A-Za-z0-9-]{1,64}")) {
      throw new WriterException(name(), "ModifyAddressTemplateAttribute gave no usable RequestId (got "
          + Sanitize.text(task, 64) + ") to follow its task by; the next run reads the template and retries");
    }
    waitFor(task);
  }

  /** Waits until the task of {@code requestId} succeeded; throws when it failed or ran past {@link #TASK_WAIT}. */
  private void waitFor(String requestId) throws WriterException {
    DescribeVpcTaskResultRequest req = new DescribeVpcTaskResultRequest();
    req.setTaskId(requestId);
    long polls = TASK_WAIT.toMillis() / TASK_POLL.toMillis();
    for (long i = 0; i < polls; i++) {
      DescribeVpcTaskResultResponse r = calls.call("DescribeVpcTaskResult", vpc -> vpc.DescribeVpcTaskResult(req));
      String status = r == null ? null : r.getStatus();
      if ("SUCCESS".equals(status)) {
        return;
      }
      if ("FAILED".equals(status)) {
        throw new WriterException(name(), "the change of template " + id + " failed (task " + requestId + ": "
            + Sanitize.text(r.getOutput(), 200) + "); the next run reads the template and retries");
      }
      if (!"RUNNING".equals(status)) {
        throw new WriterException(name(), "DescribeVpcTaskResult answered status " + Sanitize.text(status, 32)
            + " for task " + requestId + "; not reporting a change it cannot confirm");
      }
      try {
        sleeper.sleep(TASK_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WriterException(name(), "interrupted while waiting for task " + requestId);
      }
    }
    throw new WriterException(name(), "the change of template " + id + " was still running after "
        + TASK_WAIT.toSeconds() + " s (task " + requestId + "); the next run reads the template and retries");
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
