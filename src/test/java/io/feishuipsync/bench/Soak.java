package io.feishuipsync.bench;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.source.feishu.FakeFeishu.Fault;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.FaultProxy;
import io.feishuipsync.testbed.Held;
import io.feishuipsync.testbed.LinkedNamespace;
import io.feishuipsync.testbed.PostgresServer;
import io.feishuipsync.testbed.Testbed;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The soak ({@code deploy/soak.sh}): the packaged daemon (the jar and JVM flags of the .deb) for an hour at a
 * one-second schedule, in a network namespace of its own with nftables and file writers, in cluster mode with a
 * security group in moto as the cluster writer, while the list changes every few runs, Feishu fails a run now and
 * then, the namespace's firewall is flushed now and then and the cluster database is restarted once. Every minute
 * it prints the daemon's resident memory, threads, open files and state directory; at the end it checks that every
 * target holds the list and that the history replays to it. Writes {@code target/soak.csv}, which
 * {@code deploy/soak_plot.py} draws. Needs root and Docker (moto's testbed image).
 */
public final class Soak {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private Soak() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int minutes = Integer.parseInt(args[1]);
    Path work = Files.createTempDirectory("feishu-ipsync-soak");
    PrintStream out = System.out;
    LinkedNamespace ns = LinkedNamespace.forSoak();
    PostgresServer db = new PostgresServer();
    Testbed moto = Testbed.startMoto();
    List<AutoCloseable> closing = new ArrayList<>();
    try (FakeFeishu feishu = new FakeFeishu()) {
      ns.start();
      db.start();
      String url = db.newDatabase();
      FaultProxy feishuLink = new FaultProxy(ns.far(), feishu.baseUrl().getPort());
      FaultProxy dbLink = new FaultProxy(ns.far(), db.port());
      FaultProxy cloudLink = new FaultProxy(ns.far(), URI.create(moto.motoEndpoint()).getPort());
      closing.addAll(List.of(feishuLink, dbLink, cloudLink));
      Ec2Client ec2 = Ec2Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(moto.motoEndpoint()))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASOAK000000000000",
              SECRET))).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      String vpc = ec2.createVpc(b -> b.cidrBlock("198.18.0.0/16")).vpc().vpcId();
      String group = ec2.createSecurityGroup(b -> b.groupName("soak").description("soak").vpcId(vpc)).groupId();

      Path state = work.resolve("state");
      Files.writeString(work.resolve("db-password"), PostgresServer.PASSWORD);
      Files.setPosixFilePermissions(work.resolve("db-password"), PosixFilePermissions.fromString("rw-------"));
      String far = ns.far();
      TestConfig.pointedAt("http://" + far + ":" + feishuLink.port(), state)
          .feishu("max_attempts: 2\nmax_retry_time: 2s")
          .section("schedule:\n  cron: \"* * * * * ?\"\n  retry_after: 1s")
          .section("cluster:\n  jdbc_url: " + url.replace("127.0.0.1:" + db.port(), far + ":" + dbLink.port())
              + "\n  username: " + PostgresServer.USER + "\n  password_file: " + work.resolve("db-password")
              + "\n  node_id: soak\n  checkin_interval: 5s")
          .writer("type: nftables\nports: [443]")
          .fileWriter(work.resolve("allow.conf"), "")
          .writer("type: aws-security-group\ngroup_ids: [" + group + "]\nports: [\"443\"]\nregion: eu-west-1\n"
              + "endpoint: http://" + far + ":" + cloudLink.port() + "\naccess_key_id: AKIASOAK000000000000\n"
              + "secret_access_key: " + SECRET)
          .writeTo(work.resolve("config.yaml"));

      List<String> argv = new ArrayList<>(ns.command("java"));
      argv.addAll(Benchmark.UNIT_FLAGS);
      argv.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-jar", jar.toAbsolutePath().toString(), "--config",
          work.resolve("config.yaml").toString(), "run"));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(work.resolve("daemon.log").toFile());
      pb.environment().put("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET);
      Process daemon = pb.start();
      out.printf("soak: %d minutes; daemon pid %d; work directory %s%n", minutes, daemon.pid(), work);

      int shift = 0;
      int changes = 0;
      int failedOnPurpose = 0;
      int flushes = 0;
      feishu.entries(list(shift));
      List<String> csv = new ArrayList<>(List.of("minute,rss_kib,threads,open_files,state_bytes,history_bytes"));
      out.println("minute  rss_kib  threads  open_files  state_bytes  history_bytes  runs  changes");
      long start = System.nanoTime();
      for (int second = 1; second <= minutes * 60; second++) {
        long due = start + second * 1_000_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (!daemon.isAlive()) {
          throw new IllegalStateException("the daemon exited with " + daemon.exitValue() + "; see " + work);
        }
        if (second % 7 == 0) {
          // Back and forth over 40 steps: each change adds one address and removes one, as Feishu's do.
          shift++;
          feishu.entries(list(step(shift)));
          changes++;
        }
        if (second % 53 == 0) {
          feishu.failNextList(Fault.status(503, "busy"), Fault.status(503, "busy"));
          failedOnPurpose++;
        }
        if (second % 97 == 0) {
          ns.exec("nft", "flush", "ruleset");
          flushes++;
        }
        if (second == minutes * 30) {
          out.println("soak: restarting the cluster database");
          db.stop();
          Thread.sleep(15_000);
          db.start();
        }
        if (second % 60 == 0) {
          long[] m = measure(daemon.pid(), state);
          long runs = runs(work.resolve("daemon.log"));
          csv.add(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d", second / 60, m[0], m[1], m[2], m[3], m[4]));
          out.printf(Locale.ROOT, "%6d  %7d  %7d  %10d  %11d  %13d  %4d  %7d%n", second / 60, m[0], m[1], m[2], m[3],
              m[4], runs, changes);
        }
      }
      Files.write(Path.of("target/soak.csv"), csv);

      // The end: the list stops changing; every target must hold it within a minute.
      SortedSet<IpRange> last = ranges(list(step(shift)));
      String verdict = "not converged";
      for (int i = 0; i < 60; i++) {
        Thread.sleep(1000);
        if (last.equals(kernel(ns)) && last.equals(file(work.resolve("allow.conf"))) && last.equals(group(ec2, group))
            && last.equals(historyReplayed(state.resolve("history.jsonl")))) {
          verdict = "every target holds the last list, and the history replays to it";
          break;
        }
      }
      long runs = runs(work.resolve("daemon.log"));
      String log = Files.readString(work.resolve("daemon.log"));
      out.printf("soak: %d runs reported in %d minutes (%d failed, %d refused by a guard); %d list changes, %d fetches"
          + " failed on purpose, %d flushes, one database restart; stack traces in the log: %d; daemon alive: %s%n",
          runs, minutes, log.lines().filter(l -> l.contains("Syncer: sync source_failed")
              || l.contains("Syncer: sync writer_failed") || l.contains("Syncer: sync error")).count(),
          log.lines().filter(l -> l.contains("Syncer: sync refused")).count(), changes, failedOnPurpose, flushes,
          log.lines().filter(l -> l.startsWith("\tat ")).count(), daemon.isAlive());
      out.println("soak: " + verdict);
      daemon.destroy();
      daemon.waitFor(30, TimeUnit.SECONDS);
      if (!verdict.startsWith("every")) {
        System.exit(1);
      }
    } finally {
      for (AutoCloseable c : closing) {
        c.close();
      }
      ns.close();
      db.close();
      moto.close();
    }
  }

  /** The walk's position after {@code n} changes: 0, 1, ..., 39, 38, ..., 0, 1, ... */
  static int step(int n) {
    return 39 - Math.abs(n % 78 - 39);
  }

  /** 40 entries shifted by {@code shift}: successive lists differ by one added and one removed. */
  static List<String> list(int shift) {
    return FakeFeishu.docAddresses(40 + shift).subList(shift, 40 + shift);
  }

  static SortedSet<IpRange> ranges(List<String> l) {
    return l.stream().map(IpRange::parse).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Resident KiB, threads, open files, state directory bytes without the history, history bytes. */
  static long[] measure(long pid, Path state) throws IOException {
    long rss = 0;
    long threads = 0;
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        rss = Long.parseLong(l.replaceAll("\\D", ""));
      } else if (l.startsWith("Threads:")) {
        threads = Long.parseLong(l.replaceAll("\\D", ""));
      }
    }
    long fds;
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = s.count();
    }
    long stateBytes = 0;
    long history = 0;
    try (Stream<Path> s = Files.walk(state)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (p.getFileName().toString().equals("history.jsonl")) {
          history = Files.size(p);
        } else {
          stateBytes += Files.size(p);
        }
      }
    }
    return new long[] {rss, threads, fds, stateBytes, history};
  }

  static long runs(Path log) throws IOException {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains("Syncer: sync ")).count();
    }
  }

  static SortedSet<IpRange> kernel(LinkedNamespace ns) {
    try {
      return Held.nftSets(ns.exec("nft", "-j", "list", "table", "inet", "feishu_ipsync"));
    } catch (Exception | AssertionError e) {
      return null;
    }
  }

  static SortedSet<IpRange> file(Path allow) throws IOException {
    return Files.readAllLines(allow).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(IpRange::parse)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<IpRange> group(Ec2Client ec2, String group) {
    return ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
        .securityGroupRules().stream().filter(r -> !Boolean.TRUE.equals(r.isEgress()) && r.cidrIpv4() != null)
        .map(r -> IpRange.parse(r.cidrIpv4())).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<IpRange> historyReplayed(Path history) {
    try {
      return Held.historyReplayed(Files.readAllLines(history));
    } catch (IOException | AssertionError e) {
      return null;
    }
  }
}
