package io.feishuipsync.writer.aliyun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FAKE of the Alibaba Cloud ALB OpenAPI (version 2020-06-16) for its access control lists, served over real HTTP
 * on loopback with the signature and scripted refusals of {@link AcsStandIn}; no emulator of ALB exists. As the
 * service documents it:
 *
 * <ul>
 *   <li>ListAcls by AclIds, ListAclEntries in pages of MaxResults (1..100) with an opaque NextToken, ListAclRelations
 *       by AclIds;</li>
 *   <li>AddEntriesToAcl (at most 20 entries, each with a description) and RemoveEntriesFromAcl (at most 20) are
 *       asynchronous: the call checks what it can at once (the ACL, the quota counted with the entries, an entry
 *       already there or not there, the address version) and answers a JobId; the ACL is {@code Configuring} and
 *       refuses the next change with {@code IncorrectStatus.Acl} until ListAsynJobs has been asked about the job
 *       {@link #jobPolls} times, then the job is {@code Succeeded} (or {@code Failed}, undone, when a test scripted
 *       {@link #failJobNext});</li>
 *   <li>the entries being added are listed with status {@code Adding} until then.</li>
 * </ul>
 */
final class FakeAlb extends AclStandIn {

  /** A job: what it changes, how often it must still be asked about, and the error it ends in, if any. */
  private static final class Job {
    final String acl;
    final Runnable undo;
    int polls;
    final String error;

    Job(String acl, Runnable undo, int polls, String error) {
      this.acl = acl;
      this.undo = undo;
      this.polls = polls;
      this.error = error;
    }
  }

  /** How many ListAsynJobs answers a job is {@code Processing} before it ends. */
  int jobPolls = 0;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final java.util.Set<String> configuring = new java.util.HashSet<>();
  private final java.util.Deque<String> jobFailures = new java.util.ArrayDeque<>();

  FakeAlb() throws IOException {
    super("2020-06-16", "alb.cn-hangzhou.aliyuncs.com");
  }

  /** The next job ends {@code Failed} with {@code code}, its change undone; {@code ""}: it succeeds. */
  synchronized void failJobNext(String code) {
    jobFailures.add(code);
  }

  /** Also ends every job still running: a fuzzed answer may have left one no one asks about. */
  @Override
  synchronized void forgetAnswers() {
    super.forgetAnswers();
    configuring.clear();
  }

  @Override
  Map<String, Object> act(String action, Map<String, String> params) {
    return switch (action) {
      case "ListAcls" -> listAcls(params);
      case "ListAclEntries" -> listEntries(params);
      case "ListAclRelations" -> relations(params);
      case "AddEntriesToAcl" -> add(params);
      case "RemoveEntriesFromAcl" -> remove(params);
      case "ListAsynJobs" -> jobs(params);
      default -> throw new Refusal(404, "InvalidAction.NotFound", "Specified api is not found.");
    };
  }

  private Map<String, Object> listAcls(Map<String, String> params) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : repeated(params, "AclIds")) {
      Acl a = acls.get(id);
      if (a != null) {
        out.add(Map.of("AclId", id, "AclName", "fake", "AclStatus", configuring.contains(id) ? "Configuring"
            : "Available", "AddressIPVersion", a.version));
      }
    }
    return new LinkedHashMap<>(Map.of("Acls", out, "TotalCount", out.size()));
  }

  private Map<String, Object> listEntries(Map<String, String> params) {
    Acl a = acl(params.get("AclId"), "ResourceNotFound.Acl");
    int max = Integer.parseInt(params.getOrDefault("MaxResults", "20"));
    if (max < 1 || max > 100) {
      throw new Refusal(400, "IllegalParam.MaxResults", "MaxResults must be 1..100");
    }
    int from = 0;
    if (params.containsKey("NextToken")) {
      try {
        from = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(params.get("NextToken")),
            java.nio.charset.StandardCharsets.UTF_8).replace("page:", ""));
      } catch (IllegalArgumentException e) {
        throw new Refusal(400, "IllegalParam.NextToken", "The NextToken is invalid.");
      }
    }
    List<Map<String, Object>> page = new ArrayList<>();
    List<Map.Entry<String, String>> all = List.copyOf(a.entries.entrySet());
    int to = Math.min(all.size(), from + max);
    for (Map.Entry<String, String> e : all.subList(Math.min(from, to), to)) {
      page.add(Map.of("Entry", e.getKey(), "Description", e.getValue(), "Status",
          configuring.contains(params.get("AclId")) ? "Adding" : "Available"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("AclEntries", page);
    out.put("TotalCount", all.size());
    out.put("MaxResults", max);
    if (to < all.size()) {
      out.put("NextToken", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("page:" + to)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return out;
  }

  private Map<String, Object> relations(Map<String, String> params) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : repeated(params, "AclIds")) {
      Acl a = acls.get(id);
      if (a != null) {
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (String l : a.whitelistedBy) {
          listeners.add(Map.of("LoadBalancerId", l.replaceAll(":.*", ""), "ListenerId", "lsn-" + l.hashCode(),
              "ListenerPort", Integer.parseInt(l.replaceAll(".*:", "")), "ListenerProtocol", "HTTPS",
              "Status", "Associated"));
        }
        out.add(Map.of("AclId", id, "RelatedListeners", listeners));
      }
    }
    return new LinkedHashMap<>(Map.of("AclRelations", out));
  }

  private Map<String, Object> add(Map<String, String> params) {
    String id = params.get("AclId");
    Acl a = busyCheck(id);
    Map<String, String> add = new LinkedHashMap<>();
    for (int i = 1; params.containsKey("AclEntries." + i + ".Entry"); i++) {
      add.put(params.get("AclEntries." + i + ".Entry"), params.getOrDefault("AclEntries." + i + ".Description", ""));
    }
    if (add.isEmpty() || add.size() > 20) {
      throw new Refusal(400, "IllegalParam.AclEntries", "1..20 entries a call");
    }
    for (String c : add.keySet()) {
      if (a.entries.containsKey(c)) {
        throw new Refusal(400, "ResourceAlreadyExist.AclEntry", "The entry " + c + " already exists.");
      }
      if (c.contains(":") && a.version.equals("IPv4")) {
        throw new Refusal(400, "IllegalParam.Entry", c + " is not an IPv4 entry.");
      }
    }
    if (a.entries.size() + add.size() > a.quota) {
      throw new Refusal(400, "QuotaExceeded.AclEntriesNum", "The quota of entries in the ACL is exceeded.");
    }
    a.entries.putAll(add);
    add.keySet().forEach(c -> changed(id, "add " + c));
    return job(id, () -> add.keySet().forEach(c -> a.entries.remove(c)));
  }

  private Map<String, Object> remove(Map<String, String> params) {
    String id = params.get("AclId");
    Acl a = busyCheck(id);
    List<String> remove = repeated(params, "Entries");
    if (remove.isEmpty() || remove.size() > 20) {
      throw new Refusal(400, "IllegalParam.Entries", "1..20 entries a call");
    }
    Map<String, String> gone = new LinkedHashMap<>();
    for (String c : remove) {
      if (!a.entries.containsKey(c)) {
        throw new Refusal(400, "ResourceNotFound.AclEntry", "The entry " + c + " does not exist.");
      }
    }
    for (String c : remove) {
      gone.put(c, a.entries.remove(c));
      changed(id, "remove " + c);
    }
    return job(id, () -> a.entries.putAll(gone));
  }

  private Acl busyCheck(String id) {
    Acl a = acl(id, "ResourceNotFound.Acl");
    if (configuring.contains(id)) {
      throw new Refusal(400, "IncorrectStatus.Acl", "The ACL is being configured.");
    }
    return a;
  }

  private Map<String, Object> job(String acl, Runnable undo) {
    String id = nextId("job-");
    String error = jobFailures.poll();
    jobs.put(id, new Job(acl, undo, jobPolls, error == null || error.isEmpty() ? null : error));
    configuring.add(acl);
    return new LinkedHashMap<>(Map.of("JobId", id));
  }

  private Map<String, Object> jobs(Map<String, String> params) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : repeated(params, "JobIds")) {
      Job j = jobs.get(id);
      if (j == null) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>(Map.of("Id", id, "ResourceId", j.acl, "ResourceType", "acl"));
      if (j.polls > 0) {
        j.polls--;
        m.put("Status", "Processing");
      } else {
        if (configuring.remove(j.acl) && j.error != null) {
          j.undo.run();
          changed(j.acl, "undone by the failed job " + id);
        }
        m.put("Status", j.error == null ? "Succeeded" : "Failed");
        if (j.error != null) {
          m.put("ErrorCode", j.error);
          m.put("ErrorMessage", "scripted " + j.error);
        }
      }
      out.add(m);
    }
    return new LinkedHashMap<>(Map.of("Jobs", out, "TotalCount", out.size()));
  }
}
