package io.feishuipsync.writer.aliyun;

import com.aliyun.alb20200616.Client;
import com.aliyun.alb20200616.models.AddEntriesToAclRequest.AddEntriesToAclRequestAclEntries;
import com.aliyun.alb20200616.models.AddEntriesToAclRequest;
import com.aliyun.alb20200616.models.ListAclEntriesRequest;
import com.aliyun.alb20200616.models.ListAclEntriesResponseBody.ListAclEntriesResponseBodyAclEntries;
import com.aliyun.alb20200616.models.ListAclEntriesResponseBody;
import com.aliyun.alb20200616.models.ListAclRelationsRequest;
import com.aliyun.alb20200616.models.ListAclRelationsResponseBody.ListAclRelationsResponseBodyAclRelations;
import com.aliyun.alb20200616.models.ListAclRelationsResponseBody.ListAclRelationsResponseBodyAclRelationsRelatedListeners;
import com.aliyun.alb20200616.models.ListAclRelationsResponseBody;
import com.aliyun.alb20200616.models.ListAclsRequest;
import com.aliyun.alb20200616.models.ListAclsResponseBody.ListAclsResponseBodyAcls;
import com.aliyun.alb20200616.models.ListAclsResponseBody;
import com.aliyun.alb20200616.models.ListAsynJobsRequest;
import com.aliyun.alb20200616.models.ListAsynJobsResponseBody.ListAsynJobsResponseBodyJobs;
import com.aliyun.alb20200616.models.ListAsynJobsResponseBody;
import com.aliyun.alb20200616.models.RemoveEntriesFromAclRequest;
import com.aliyun.tea.TeaException;
import io.feishuipsync.cloud.AclEntries;
import io.feishuipsync.cloud.AclWriter;
import io.feishuipsync.cloud.Lazy;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the marked entries of an Alibaba Cloud ALB access control list ({@link AclEntries}). ALB adds and removes
 * entries in asynchronous jobs: each call's job is waited for (ListAsynJobs) before the next step, so an addition
 * is in force before anything is removed, and success is reported only when every job has succeeded.
 */
final class AlbAclWriter implements AclWriter {

  private static final Logger log = LoggerFactory.getLogger(AlbAclWriter.class);
  /** AddEntriesToAcl and RemoveEntriesFromAcl take at most 20 entries a call. */
  static final int PER_CALL = 20;
  /** ListAclEntries returns at most 100 entries a page. */
  static final int PAGE_SIZE = 100;
  /** An ACL holds at most a few thousand entries; more pages than this is an answer not to trust. */
  static final int MAX_PAGES = 200;
  /** How long one job may take before the writer gives up on it. */
  static final Duration JOB_DEADLINE = Duration.ofMinutes(5);
  /** While an ACL is busy with another change, ALB refuses the next one with these codes: wait and try again. */
  static final AliyunCalls.Product ALB = new AliyunCalls.Product("ALB", "alb",
      Set.of("IncorrectStatus.Acl", "Conflict.Lock", "SystemBusy"));
  private static final Set<String> CONFLICTS = Set.of("ResourceAlreadyExist.AclEntry", "ResourceNotFound.AclEntry");

  /** Makes the ALB client on first use, so that a config check needs no credentials. */
  @FunctionalInterface
  interface Clients {
    Client get() throws Exception;
  }

  private final AliyunAclWriterTypes.Target t;
  private final AliyunCalls calls;
  private final Lazy<Client, Exception> client;
  private final Sleeper sleeper;
  private final AclEntries entries;

  AlbAclWriter(AliyunAclWriterTypes.Target target, Clients clients, Sleeper sleeper) {
    this.t = target;
    this.client = new Lazy<>(clients::get);
    this.sleeper = sleeper;
    this.calls = new AliyunCalls(name(), sleeper, ALB);
    this.entries = new AclEntries(name(), target.aclId(), target.marker(), target.maxEntries(), this, log);
  }

  @Override
  public String name() {
    return "aliyun-alb-acl:" + t.aclId();
  }

  @Override
  public Set<String> targets() {
    return Set.of("aliyun alb acl " + t.aclId() + " in " + t.region() + " marked " + t.marker());
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
    ListAclsResponseBody acls = calls.call("ListAcls", () -> client.get().listAcls(new ListAclsRequest()
        .setAclIds(List.of(t.aclId()))).getBody());
    ListAclsResponseBodyAcls acl = acls == null || acls.getAcls() == null ? null : acls.getAcls().stream()
        .filter(a -> a != null && t.aclId().equals(a.getAclId())).findFirst().orElse(null);
    if (acl == null) {
      throw new WriterException(name(), "ACL " + t.aclId() + " does not exist in " + t.region()
          + " (ListAcls does not list it); check acl_id and region");
    }
    Set<IpRange.Family> families = switch (String.valueOf(acl.getAddressIPVersion())) {
      case "IPv4" -> Set.of(IpRange.Family.IPV4);
      case "IPv6" -> Set.of(IpRange.Family.IPV6);
      case "DualStack" -> Set.of(IpRange.Family.IPV4, IpRange.Family.IPV6);
      default -> throw new WriterException(name(), "ListAcls answered an address version '"
          + Sanitize.text(String.valueOf(acl.getAddressIPVersion()), 16) + "' for ACL " + t.aclId()
          + ", not IPv4, IPv6 or DualStack");
    };
    return new AclEntries.Acl(families, listEntries(), listeners ? listeners() : List.of());
  }

  /** Every entry of the ACL, page by page; each comes from the network and is checked. */
  private Map<IpRange, String> listEntries() throws WriterException {
    return calls.call("ListAclEntries", () -> {
      java.util.LinkedHashMap<IpRange, String> out = new java.util.LinkedHashMap<>();
      String token = null;
      for (int page = 0; ; page++) {
        if (page >= MAX_PAGES) {
          throw new WriterException(name(), "ListAclEntries answered more than " + MAX_PAGES + " pages for ACL "
              + t.aclId() + "; not trusting it");
        }
        ListAclEntriesResponseBody body = client.get().listAclEntries(new ListAclEntriesRequest()
            .setAclId(t.aclId()).setMaxResults(PAGE_SIZE).setNextToken(token)).getBody();
        if (body == null) {
          throw new WriterException(name(), "ListAclEntries answered without a body");
        }
        for (ListAclEntriesResponseBodyAclEntries e : body.getAclEntries() == null
            ? List.<ListAclEntriesResponseBodyAclEntries>of() : body.getAclEntries()) {
          IpRange r = AclEntries.entry(name(), e == null ? null : e.getEntry());
          out.put(r, e.getDescription() == null ? "" : e.getDescription());
        }
        token = body.getNextToken();
        if (token == null || token.isEmpty()) {
          return out;
        }
      }
    });
  }

  /** The listeners the ACL is associated with, e.g. {@code alb-x:443/HTTPS}. */
  private List<String> listeners() throws WriterException {
    ListAclRelationsResponseBody body = calls.call("ListAclRelations", () -> client.get().listAclRelations(
        new ListAclRelationsRequest().setAclIds(List.of(t.aclId()))).getBody());
    List<String> out = new ArrayList<>();
    if (body != null && body.getAclRelations() != null) {
      for (ListAclRelationsResponseBodyAclRelations r : body.getAclRelations()) {
        if (r == null || !t.aclId().equals(r.getAclId()) || r.getRelatedListeners() == null) {
          continue;
        }
        for (ListAclRelationsResponseBodyAclRelationsRelatedListeners l : r.getRelatedListeners()) {
          if (l != null) {
            out.add(Sanitize.text(l.getLoadBalancerId() + ":" + l.getListenerPort() + "/"
                + l.getListenerProtocol(), 120));
          }
        }
      }
    }
    return out;
  }

  @Override
  public void add(List<IpRange> batch, String description) throws WriterException {
    AddEntriesToAclRequest req = new AddEntriesToAclRequest().setAclId(t.aclId())
        .setClientToken(UUID.randomUUID().toString())
        .setAclEntries(batch.stream().map(r -> new AddEntriesToAclRequestAclEntries().setEntry(r.toString())
            .setDescription(description)).toList());
    String job = calls.call("AddEntriesToAcl", () -> client.get().addEntriesToAcl(req).getBody().getJobId());
    await("AddEntriesToAcl", job);
  }

  @Override
  public void remove(List<IpRange> batch) throws WriterException {
    RemoveEntriesFromAclRequest req = new RemoveEntriesFromAclRequest().setAclId(t.aclId())
        .setClientToken(UUID.randomUUID().toString())
        .setEntries(batch.stream().map(IpRange::toString).toList());
    String job = calls.call("RemoveEntriesFromAcl", () -> client.get().removeEntriesFromAcl(req).getBody()
        .getJobId());
    await("RemoveEntriesFromAcl", job);
  }

  @Override
  public boolean conflict(WriterException e) {
    return e.getCause() instanceof TeaException tea && CONFLICTS.contains(AliyunCalls.code(tea));
  }

  /**
   * Waits until job {@code job} of {@code operation} has succeeded: polls ListAsynJobs 1 s, 2 s, 4 s, then every
   * 5 s, for at most {@link #JOB_DEADLINE}. A failed job is an error carrying its code, so that a conflict reads as
   * one.
   */
  private void await(String operation, String job) throws WriterException {
    if (job == null || job.isBlank()) {
      throw new WriterException(name(), operation + " answered without a job id; the change is not known to be in"
          + " force");
    }
    long waited = 0;
    for (int poll = 0; ; poll++) {
      ListAsynJobsResponseBody body = calls.call("ListAsynJobs", () -> client.get().listAsynJobs(
          new ListAsynJobsRequest().setJobIds(List.of(job))).getBody());
      ListAsynJobsResponseBodyJobs found = body == null || body.getJobs() == null ? null : body.getJobs().stream()
          .filter(j -> j != null && job.equals(j.getId())).findFirst().orElse(null);
      String status = found == null ? "" : String.valueOf(found.getStatus());
      if (status.equals("Succeeded")) {
        return;
      }
      if (status.equals("Failed")) {
        String code = found.getErrorCode() == null ? "" : found.getErrorCode();
        TeaException cause = new TeaException(Map.of("code", code, "message",
            String.valueOf(found.getErrorMessage())));
        throw new WriterException(name(), operation + " failed in job " + Sanitize.text(job, 80) + ": "
            + Sanitize.text(code, 64) + ": " + Sanitize.text(String.valueOf(found.getErrorMessage())), cause);
      }
      Duration pause = Duration.ofSeconds(Math.min(5, 1L << poll));
      if (waited + pause.toMillis() > JOB_DEADLINE.toMillis()) {
        throw new WriterException(name(), operation + " job " + Sanitize.text(job, 80) + " has not finished after "
            + JOB_DEADLINE.toMinutes() + " minutes (last status '" + Sanitize.text(status, 32) + "'); ACL "
            + t.aclId() + " may hold part of this change until the next run");
      }
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WriterException(name(), "interrupted while waiting for " + operation + " job " + job, e);
      }
      waited += pause.toMillis();
    }
  }
}
