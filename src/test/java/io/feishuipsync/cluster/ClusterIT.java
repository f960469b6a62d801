package io.feishuipsync.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.config.TestConfig;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.source.feishu.FakeFeishu;
import io.feishuipsync.testbed.PostgresServer;
import io.feishuipsync.testbed.Testbed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Two and three daemon processes of the packaged jar on one shared PostgreSQL, each with its own file writer, all
 * sharing a security group and a prefix list in moto (reached through {@link Ec2Proxy}, which counts the calls).
 */
class ClusterIT {

  static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  /** Short, so that failover is quick to test; {@code -Dcluster.checkin=5} measures another (docs/benchmarks.md). */
  static final int CHECKIN_SECONDS = Integer.getInteger("cluster.checkin", 2);

  @RegisterExtension
  static final PostgresServer db = new PostgresServer();
  @RegisterExtension
  static final Testbed bed = Testbed.motoPerClass();
  @RegisterExtension
  final FakeFeishu feishu = FakeFeishu.perTest();
  static Ec2Client ec2;

  @TempDir
  Path dir;
  Ec2Proxy proxy;
  String url;
  String group;
  String prefixList;
  final List<Process> nodes = new ArrayList<>();

  @BeforeAll
  static void client() {
    ec2 = Ec2Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(bed.motoEndpoint()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @BeforeEach
  void setUp() throws Exception {
    proxy = new Ec2Proxy(bed.motoEndpoint());
    url = db.newDatabase();
    String vpc = ec2.createVpc(b -> b.cidrBlock("198.18.0.0/16")).vpc().vpcId();
    group = ec2.createSecurityGroup(b -> b.groupName("callback-" + System.nanoTime()).description("callback")
        .vpcId(vpc)).groupId();
    prefixList = ec2.createManagedPrefixList(b -> b.prefixListName("feishu-" + System.nanoTime())
        .addressFamily("IPv4").maxEntries(40)).prefixList().prefixListId();
    feishu.entries(FakeFeishu.docAddresses(30));
    Files.writeString(dir.resolve("db-password"), PostgresServer.PASSWORD);
    Files.setPosixFilePermissions(dir.resolve("db-password"), java.nio.file.attribute.PosixFilePermissions
        .fromString("rw-------"));
  }

  @AfterEach
  void tearDown() throws IOException {
    nodes.forEach(Process::destroyForcibly);
    proxy.close();
    // What each node said, for a failure's report.
    for (int i = 1; i <= nodes.size(); i++) {
      Path log = dir.resolve("node-" + i + "/out.log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        System.out.println("--- node-" + i + " (last 40 lines)");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
      }
    }
  }

  Process start(int i) throws IOException {
    Path home = Files.createDirectories(dir.resolve("node-" + i));
    String aws = "region: eu-west-1\nendpoint: " + proxy.endpoint() + "\naccess_key_id: " + KEY_ID
        + "\nsecret_access_key: " + SECRET;
    Path config = TestConfig.pointedAt(feishu, home.resolve("state"))
        .section("schedule:\n  cron: \"*/2 * * * * ?\"")
        .section("cluster:\n  jdbc_url: " + url + "\n  username: " + PostgresServer.USER + "\n  password_file: "
            + dir.resolve("db-password") + "\n  node_id: node-" + i + "\n  checkin_interval: " + CHECKIN_SECONDS + "s")
        .fileWriter(home.resolve("allow.conf"), "")
        .writer("type: aws-security-group\ngroup_ids: [" + group + "]\nports: [\"443\"]\n" + aws)
        .writer("type: aws-prefix-list\nprefix_list_id: " + prefixList + "\n" + aws)
        .writeTo(home.resolve("config.yaml"));
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx160m", "-XX:TieredStopAtLevel=1", "-jar",
        System.getProperty("feishuipsync.jar", "target/feishu-ipsync.jar"), "--config", config.toString(), "run");
    pb.environment().put("FEISHU_APP_SECRET", FakeFeishu.APP_SECRET);
    pb.redirectErrorStream(true).redirectOutput(home.resolve("out.log").toFile());
    Process p = pb.start();
    nodes.add(p);
    return p;
  }

  SortedSet<IpRange> fileOf(int i) {
    try {
      return Files.readAllLines(dir.resolve("node-" + i + "/allow.conf")).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).map(IpRange::parse)
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      return new TreeSet<>();
    }
  }

  static SortedSet<IpRange> groupOf(String group) {
    return ec2.describeSecurityGroupRules(b -> b.filters(Filter.builder().name("group-id").values(group).build()))
        .securityGroupRules().stream().filter(r -> !Boolean.TRUE.equals(r.isEgress()) && r.cidrIpv4() != null)
        .map(r -> IpRange.parse(r.cidrIpv4())).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<IpRange> listOf(String id) {
    return ec2.getManagedPrefixListEntries(b -> b.prefixListId(id)).entries().stream()
        .map(e -> IpRange.parse(e.cidr())).collect(Collectors.toCollection(TreeSet::new));
  }

  static SortedSet<IpRange> ranges(List<String> addresses) {
    return addresses.stream().map(IpRange::parse).collect(Collectors.toCollection(TreeSet::new));
  }

  boolean cloudHolds(SortedSet<IpRange> want) {
    return groupOf(group).equals(want) && listOf(prefixList).equals(want);
  }

  long await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - start > seconds * 1_000_000_000L) {
        throw new AssertionError("not within " + seconds + "s: " + what + "; files " + fileOf(1) + " " + fileOf(2)
            + ", group " + groupOf(group) + ", prefix list " + listOf(prefixList));
      }
      Thread.sleep(200);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  String query(String sql) throws Exception {
    try (Connection c = PostgresServer.connect(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return String.join(",", rows);
    }
  }

  /**
   * A list of 30 with one removed and two added: applied once, that is two authorisations (the writer authorises
   * rule by rule), one revocation (in one batch) and one prefix list change.
   */
  static List<String> changed() {
    List<String> next = new ArrayList<>(FakeFeishu.docAddresses(32));
    next.remove(0);
    return next;
  }

  @Test
  void threeNodesUpdateTheirOwnFilesAndChangeTheCloudTargetsExactlyOncePerChange() throws Exception {
    for (int i = 1; i <= 3; i++) {
      start(i);
    }
    SortedSet<IpRange> first = ranges(FakeFeishu.docAddresses(30));
    await("every node's file and the cloud targets hold the list", 90, () -> fileOf(1).equals(first)
        && fileOf(2).equals(first) && fileOf(3).equals(first) && cloudHolds(first));
    await("three nodes checked in", 30, () -> {
      try {
        return query("SELECT count(*) FROM qrtz_scheduler_state").equals("3");
      } catch (Exception e) {
        return false;
      }
    });
    proxy.reset();

    feishu.entries(changed());
    SortedSet<IpRange> next = ranges(changed());
    await("the change everywhere", 60, () -> fileOf(1).equals(next) && fileOf(2).equals(next)
        && fileOf(3).equals(next) && cloudHolds(next));
    Thread.sleep(4 * 2000); // four more fires of the schedule
    assertEquals(Map.of("AuthorizeSecurityGroupIngress", 2, "RevokeSecurityGroupIngress", 1,
        "ModifyManagedPrefixList", 1), proxy.modifying(), "each cloud target changed once for the change");
    assertEquals("2", query("SELECT count(*) FROM ipsync_history"), "the first list and the change, once each");
    assertTrue(nodes.stream().allMatch(Process::isAlive));
    for (int i = 1; i <= 3; i++) {
      String cmdline = Files.readString(Path.of("/proc/" + nodes.get(i - 1).pid() + "/cmdline"));
      assertTrue(!cmdline.contains(PostgresServer.PASSWORD), "no database password in the process list");
      assertTrue(!Files.readString(dir.resolve("node-" + i + "/out.log")).contains(PostgresServer.PASSWORD));
    }
  }

  @Test
  void killingTheNodeThatHoldsTheClusterJobMidApplyIsRecoveredByTheOther() throws Exception {
    start(1);
    start(2);
    SortedSet<IpRange> first = ranges(FakeFeishu.docAddresses(30));
    await("first list applied", 90, () -> fileOf(1).equals(first) && fileOf(2).equals(first) && cloudHolds(first));

    proxy.holdNext("ModifyManagedPrefixList");
    feishu.entries(changed());
    assertTrue(proxy.awaitHeld(60), "a node started changing the prefix list");
    String holder = query("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING'");
    assertTrue(holder.equals("node-1") || holder.equals("node-2"), holder);
    Process victim = nodes.get(holder.equals("node-1") ? 0 : 1);
    victim.destroyForcibly(); // SIGKILL
    assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
    long killed = System.nanoTime();
    proxy.dropHeld();

    SortedSet<IpRange> next = ranges(changed());
    long ms = await("the other node converges the cloud targets", 60, () -> cloudHolds(next));
    long failover = (System.nanoTime() - killed) / 1_000_000;
    System.out.printf("failover: kill to converged cloud target %d ms (check-in %ds)%n", failover, CHECKIN_SECONDS);
    Files.writeString(Path.of("target/cluster-failover.txt"), CHECKIN_SECONDS + " " + failover + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    assertTrue(failover < (2L * CHECKIN_SECONDS + 7.5 + 10) * 1000, "recovered within about two check-ins plus"
        + " Quartz's 7.5 s grace and one sync: " + ms + " ms");
    String survivor = holder.equals("node-1") ? "node-2" : "node-1";
    assertEquals(survivor, query("SELECT node FROM ipsync_snapshot"));
  }

  /**
   * The node running the cluster job stalls (SIGSTOP) in a slow fetch that read the old list; the other node takes
   * the job over and applies the new list; when the stalled node wakes up with its old list, it applies nothing.
   */
  @Test
  void aNodeThatFetchedAnOlderListNeverRollsTheCloudBack() throws Exception {
    start(1);
    start(2);
    SortedSet<IpRange> first = ranges(FakeFeishu.docAddresses(30));
    await("first list applied", 90, () -> fileOf(1).equals(first) && fileOf(2).equals(first) && cloudHolds(first));

    // Old list L1, handed out slowly: the cluster job's next fetch reads L1 and is still waiting for it.
    List<String> old = new ArrayList<>(FakeFeishu.docAddresses(30));
    old.remove(1);
    feishu.entries(old).listDelay(20_000);
    // A run that started before the delay is over by now; the one executing next is waiting in its fetch.
    Thread.sleep(5000);
    await("a node's cluster job is fetching", 30, () -> {
      try {
        return !query("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING'").isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
    String holder = query("SELECT instance_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING'");
    Process stalled = nodes.get(holder.equals("node-1") ? 0 : 1);
    signal("STOP", stalled);
    try {
      // Feishu moves on to L2; the other node takes the job over and applies it.
      feishu.entries(changed()).listDelay(0);
      SortedSet<IpRange> next = ranges(changed());
      await("the other node applies the new list", 90, () -> cloudHolds(next));
    } finally {
      signal("CONT", stalled);
    }
    // The stalled node's fetch now returns the old list, stamped with when it began: older than the applied one.
    int node = holder.equals("node-1") ? 1 : 2;
    await("the woken node gives its old list up", 60, () -> {
      try {
        return Files.readString(dir.resolve("node-" + node + "/out.log")).contains("older than the one the cluster"
            + " last applied");
      } catch (IOException e) {
        return false;
      }
    });
    Thread.sleep(3000);
    assertTrue(cloudHolds(ranges(changed())), "the cloud still holds the newer list: " + groupOf(group));
  }

  static void signal(String name, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + name);
  }

  @Test
  void aDatabaseStopAndStartFailsNoHostSyncAndTheCloudCatchesUp() throws Exception {
    start(1);
    start(2);
    SortedSet<IpRange> first = ranges(FakeFeishu.docAddresses(30));
    await("first list applied", 90, () -> fileOf(1).equals(first) && fileOf(2).equals(first) && cloudHolds(first));

    db.stop();
    try {
      feishu.entries(changed());
      SortedSet<IpRange> next = ranges(changed());
      await("host writers go on without the database", 60, () -> fileOf(1).equals(next) && fileOf(2).equals(next));
      assertTrue(cloudHolds(first), "no node changed the cloud without the database");
      Thread.sleep(3 * CHECKIN_SECONDS * 1000);
    } finally {
      db.start();
    }
    await("the cloud catches up after the database is back", 90, () -> cloudHolds(ranges(changed())));
    for (int i = 1; i <= 2; i++) {
      String status = Files.readString(dir.resolve("node-" + i + "/state/status.json"));
      assertTrue(status.contains("\"consecutive_failures\" : 0"), status);
      String log = Files.readString(dir.resolve("node-" + i + "/out.log"));
      assertEquals(1, log.lines().filter(l -> l.contains("the cluster job cannot run on this node")).count(),
          "one report of the outage per node, not one per retry");
      assertTrue(!log.contains(PostgresServer.PASSWORD), "no password in the log");
    }
  }
}
